using System.Text.Json.Nodes;
using Providers.Tests.Replay;

namespace Providers.Tests.OpenAiCompatible;

/// <summary>
/// What the OAuth providers' tests share: a private folder for credentials files, a token endpoint on 127.0.0.1 (a
/// <see cref="ReplayServer"/> answering with token JSON), and the form a refresh request carried.
/// </summary>
public sealed class SignInKit : IAsyncDisposable
{
    private SignInKit(string folder, ReplayServer api, ReplayServer tokens)
    {
        Folder = folder;
        Api = api;
        Tokens = tokens;
    }

    public string Folder { get; }

    /// <summary>The provider's API.</summary>
    public ReplayServer Api { get; }

    /// <summary>The OAuth token endpoint.</summary>
    public ReplayServer Tokens { get; }

    public Uri TokenUrl => new(Tokens.BaseUri, "oauth/token");

    public static async Task<SignInKit> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "providers-signin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new SignInKit(folder, await ReplayServer.StartAsync(), await ReplayServer.StartAsync());
    }

    /// <summary>Writes <paramref name="json"/> to <paramref name="name"/> in the folder; returns its path.</summary>
    public string Write(string name, string json)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, json);
        return path;
    }

    public JsonObject Read(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, name)))!.AsObject();

    /// <summary>The fields of a form-encoded request body.</summary>
    public static Dictionary<string, string> Form(RecordedRequest request) =>
        request.Body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));

    /// <summary>Unix milliseconds <paramref name="offset"/> from now.</summary>
    public static long UnixMsFromNow(TimeSpan offset) => (DateTimeOffset.UtcNow + offset).ToUnixTimeMilliseconds();

    public static void AssertNoSecret(Exception error, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        await Tokens.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}
