using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Reflection.Emit;

namespace WorkflowTools.Benchmarks;

/// <summary>
/// Builds the baseline for the import benchmark: a binary module with one do-nothing cmdlet and a
/// manifest, written next to the benchmark's binaries (PersistedAssemblyBuilder, no compiler needed).
/// </summary>
public static class EmptyModule
{
    public static string Build(string folder)
    {
        Directory.CreateDirectory(folder);
        var dll = Path.Combine(folder, "EmptyBinaryModule.dll");
        var manifest = Path.Combine(folder, "EmptyBinaryModule.psd1");
        if (File.Exists(dll) && File.Exists(manifest))
        {
            return manifest;
        }

        var builder = new PersistedAssemblyBuilder(new AssemblyName("EmptyBinaryModule"), typeof(object).Assembly);
        var module = builder.DefineDynamicModule("EmptyBinaryModule");
        var type = module.DefineType("EmptyBinaryModule.GetNothingCommand", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(PSCmdlet));
        var cmdletCtor = typeof(CmdletAttribute).GetConstructor(new[] { typeof(string), typeof(string) })!;
        type.SetCustomAttribute(new CustomAttributeBuilder(cmdletCtor, new object[] { "Get", "Nothing" }));
        var ctor = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, Type.EmptyTypes);
        var il = ctor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, typeof(PSCmdlet).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, Type.EmptyTypes)!);
        il.Emit(OpCodes.Ret);
        type.CreateType();
        builder.Save(dll);

        File.WriteAllText(manifest, "@{\n    RootModule = 'EmptyBinaryModule.dll'\n    ModuleVersion = '1.0.0'\n    GUID = '5d0f3b7e-8f7e-4c53-9d51-2d1f5d8c0e11'\n    CmdletsToExport = @('Get-Nothing')\n    FunctionsToExport = @()\n    AliasesToExport = @()\n    VariablesToExport = @()\n}\n");
        return manifest;
    }
}
