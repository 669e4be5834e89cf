using System;
using System.Collections.Generic;
using System.Linq;

namespace WorkflowTools.Sandbox;

/// <summary>A file attached to a request (PM4: a Spatie media row of the request, custom property data_name).</summary>
public sealed class PmRequestFile
{
    internal PmRequestFile(long id, long requestId, string fileName, string mimeType, byte[] content)
    {
        Id = id;
        RequestId = requestId;
        FileName = fileName;
        MimeType = mimeType;
        Content = content;
    }

    /// <summary>Media id.</summary>
    public long Id { get; }
    /// <summary>The request it belongs to.</summary>
    public long RequestId { get; }
    /// <summary>The uploaded file's name.</summary>
    public string FileName { get; }
    /// <summary>Its media type.</summary>
    public string MimeType { get; }
    /// <summary>The bytes (held in memory).</summary>
    public byte[] Content { get; }
    /// <summary>The request variable the file belongs to.</summary>
    public string DataName { get; init; } = "";
    /// <summary>Who uploaded it.</summary>
    public long? CreatedBy { get; init; }
    /// <summary>Uploaded.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

// Request files of the sandbox's ProcessMaker (PM4 ProcessRequestFileController, Models/Media).
public sealed partial class ProcessMakerStore
{
    private readonly List<PmRequestFile> _files = new();
    private long _nextFileId = 1;

    /// <summary>A request's files, oldest first.</summary>
    public IReadOnlyList<PmRequestFile> FilesOf(long requestId) { lock (Gate) return _files.Where(f => f.RequestId == requestId).ToList(); }

    /// <summary>Any file by its media id, or null.</summary>
    public PmRequestFile? FindFile(long id) { lock (Gate) return _files.FirstOrDefault(f => f.Id == id); }

    /// <summary>
    /// Stores a file; an earlier file of the request with the same data name is replaced (PM4 saveUploadedFile deletes
    /// it unless <c>multiple</c> is set).
    /// </summary>
    public PmRequestFile AddFile(long requestId, string fileName, string mimeType, byte[] content, string dataName, long? createdBy)
    {
        lock (Gate)
        {
            _files.RemoveAll(f => f.RequestId == requestId && f.DataName == dataName);
            var file = new PmRequestFile(_nextFileId++, requestId, fileName, mimeType, content) { DataName = dataName, CreatedBy = createdBy, CreatedAt = _clock.Now };
            _files.Add(file);
            return file;
        }
    }

    internal void RemoveFile(PmRequestFile file) { lock (Gate) _files.Remove(file); }
}
