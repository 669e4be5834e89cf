namespace WorkflowTools.Sandbox;

// A sandbox reset (SandboxServer.Reset) builds a new store from the seed. Sign-ins are not data: a client that
// took a token from /oauth/token before the reset keeps using it, as it would against a real server whose
// database was restored, where Passport's tokens live in their own table.
public sealed partial class ProcessMakerStore
{
    /// <summary>
    /// Takes over the tokens and refresh tokens of <paramref name="previous"/> that this store does not hold (those
    /// issued by the OAuth endpoint or added since the start), with their expiry and revocation. Tokens this store
    /// already holds (from the options and the seed) stay as the seed made them.
    /// </summary>
    internal void KeepIssuedTokens(ProcessMakerStore previous)
    {
        lock (previous.Gate)
        lock (Gate)
        {
            foreach (var (text, token) in previous._tokens)
                if (!_tokens.ContainsKey(text)) _tokens[text] = token;
            foreach (var (text, refresh) in previous._refreshTokens)
                _refreshTokens.TryAdd(text, refresh);
        }
    }
}
