using Providers.Bedrock;
using Providers.Cline;
using Providers.Dify;
using Providers.Gemini;
using Providers.OpenAiCompatible;
using Providers.SapAiCore;
using Providers.Tests.Bedrock;
using Providers.Tests.Replay;
using Providers.Tests.SapAiCore;
using Providers.Vertex;
using static Providers.Tests.Hostile.HostileKit;

namespace Providers.Tests.Hostile;

/// <summary>
/// The hostile-server scenarios that only the providers added after the suite (<see cref="AddedHostileTargets"/>) have:
/// a whole Bedrock message over the event limit, credentials echoed in errors and in-stream errors, SigV4 signing
/// errors. The scenarios every provider shares run over both target lists in <see cref="HostileServerTests"/>.
/// </summary>
public sealed partial class AddedProviderHostileTests
{
    private const int Attempts = HostileServerTests.Attempts;

    [Fact]
    public async Task A_whole_bedrock_message_over_the_event_limit_is_refused_by_its_prelude_before_it_is_buffered()
    {
        // 2 MB of valid, checksummed message against a 1 MB limit: under the decoder's own 16 MB cap, so only the limit stops it.
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var target = AddedHostileTargets.Bedrock;
        var text = new string('a', 2 * 1024 * 1024);
        var body = target.Frame([target.MinimalStream[0], "{\"contentBlockDelta\":{\"contentBlockIndex\":0,\"delta\":{\"text\":\"" + text + "\"}}}", .. target.MinimalStream.Skip(2)]);
        server.Enqueue(Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + body.Length), body);

        var outcome = await RunAsync(target.Create(server.BaseUri, clock, o => o.MaxEventBytes = 1024 * 1024));

        var error = outcome.ProviderError;
        Assert.Equal("event_too_large", error.ErrorType);
        Assert.Contains("'maxEventBytes'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(outcome.Chunks, c => c is TextChunk);
    }

    /// <summary>
    /// A CR or LF in the header value or credential each target sends (an OpenAI custom header, an API key, Vertex's
    /// token, Bedrock's session token), for <see cref="HostileServerTests"/>.
    /// </summary>
    internal static void InjectControlCharacter(ProviderOptions options)
    {
        switch (options)
        {
            case Providers.OpenAi.OpenAiOptions openAi:
                openAi.Headers = new() { ["X-Team"] = "a\r\nX-Injected: yes" };
                break;
            case Providers.Anthropic.AnthropicOptions anthropic:
                anthropic.ApiKey = HostileTargets.Key + "\r\nX-Injected: yes";
                break;
            case Providers.Ollama.OllamaOptions ollama:
                ollama.ApiKey = HostileTargets.Key + "\nX-Injected: yes";
                break;
            case Providers.OpenRouter.OpenRouterOptions openRouter:
                openRouter.ApiKey = HostileTargets.Key + "\rX-Injected: yes";
                break;
            case GeminiOptions gemini:
                gemini.ApiKey = HostileTargets.Key + "\r\nX-Injected: yes";
                break;
            case VertexOptions vertex:
                vertex.AccessToken = HostileTargets.Key + "\r\nX-Injected: yes";
                break;
            case BedrockOptions bedrock:
                bedrock.SessionToken = HostileTargets.HeaderSecret + "\nX-Injected: yes";
                break;
            case DeepSeekOptions deepSeek:
                deepSeek.ApiKey = HostileTargets.Key + "\rX-Injected: yes";
                break;
            case CerebrasOptions cerebras:
                cerebras.ApiKey = HostileTargets.Key + "\r\nX-Injected: yes";
                break;
            case OpenAiNativeOptions native:
                native.ApiKey = HostileTargets.Key + "\nX-Injected: yes";
                break;
            case Providers.Cline.ClineOptions cline:
                cline.ApiKey = HostileTargets.Key + "\r\nX-Injected: yes";
                break;
            case OcaOptions oca:
                oca.ApiKey = HostileTargets.Key + "\nX-Injected: yes";
                break;
            case DifyOptions dify:
                dify.ApiKey = HostileTargets.Key + "\r\nX-Injected: yes";
                break;
            case SapAiCoreOptions sap:
                // The client credentials travel form-encoded; the header built from settings is the resource group.
                sap.ResourceGroup = "default\r\nX-Injected: yes";
                break;
            case QwenCodeOptions qwenCode:
                qwenCode.OauthPath = AddedHostileTargets.QwenCodeCredentialsFile(HostileTargets.Key + "\r\nX-Injected: yes");
                break;
            case OpenAiCodexOptions codex:
                codex.Credentials = AddedHostileTargets.OpenAiCodexCredentials(HostileTargets.Key + "\nX-Injected: yes");
                break;
        }
    }

    public static IEnumerable<object[]> Echoes()
    {
        const string Key = HostileTargets.Key;
        var upper = Key.ToUpperInvariant();
        foreach (var target in AddedHostileTargets.All)
        {
            yield return [target.Name, "reason", Head($"401 Unauthorized {Key}", "Content-Type: application/json", "Content-Length: 2"), "{}"];
            // Only Bedrock holds the second secret (its session token); to the others it is no secret of theirs.
            var token = target.Name == "bedrock" ? HostileTargets.HeaderSecret : "(none)";
            var json = $$$"""{"error":{"code":401,"status":"{{{Key}}}","type":"{{{upper}}}","message":"bad key {{{Key}}}, {{{upper}}}, token {{{token}}}"}}""";
            yield return [target.Name, "body", Head("403 Forbidden", "Content-Type: application/json", "Content-Length: " + json.Length), json];
            var text = new string('x', 290) + Key + " and more";
            yield return [target.Name, "truncation", Head("500 Internal Server Error", "Content-Type: text/plain", "Content-Length: " + text.Length), text];
            var stream = InStreamError(target);
            yield return [target.Name, "in-stream", Head("200 OK", "Content-Type: " + target.StreamContentType, "Content-Length: " + stream.Length), Convert.ToBase64String(stream)];
        }
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public async Task An_echoed_credential_reaches_no_exception(string name, string where, string head, string body)
    {
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var bytes = where == "in-stream" ? Convert.FromBase64String(body) : Utf8(body);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            server.Enqueue(head, bytes);
        }

        var outcome = await RunAsync(AddedHostileTargets.Named(name).Create(server.BaseUri, clock, null));

        AssertNoSecret(Assert.IsAssignableFrom<ProviderException>(outcome.Error));
    }

    [Theory]
    [InlineData("Credential should be scoped to a valid region.")]
    [InlineData("Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T124600Z - 5 min.)")]
    public async Task Bedrock_signing_errors_reach_the_user_unredacted_because_a_sigv4_signature_is_no_secret(string message)
    {
        // The SigV4 headers (the Authorization's "Credential=..." scope, X-Amz-Date) are no credentials: recorded as secrets
        // they blank out the very words of AWS's signing errors. The secret key and the session token stay secrets.
        await using var server = new HostileServer();
        using var clock = new FastRetryClock();
        var json = $$"""{"message":"{{message}} token {{HostileTargets.HeaderSecret}}"}""";
        server.Enqueue(Head("403 Forbidden", "Content-Type: application/json", "x-amzn-ErrorType: InvalidSignatureException", "Content-Length: " + json.Length), json);

        var outcome = await RunAsync(AddedHostileTargets.Bedrock.Create(
            server.BaseUri, clock, o => o.TimeProvider = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero))));

        Assert.Contains(message, outcome.ProviderError.Message, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Date: 20150830T123600Z", Assert.Single(server.Requests).Head, StringComparison.OrdinalIgnoreCase);
    }

    private static byte[] InStreamError(HostileTarget target) => target.Name switch
    {
        "vertex-claude" => HostileTargets.TypedEvents([
            target.MinimalStream[0],
            $$$"""{"type":"error","error":{"type":"{{{HostileTargets.Key}}}","message":"overloaded {{{HostileTargets.Key}}}"}}"""]),
        "gemini" or "vertex" => target.Frame([target.MinimalStream[0], $$$"""{"error":{"code":500,"status":"{{{HostileTargets.Key}}}","message":"failed near {{{HostileTargets.Key.ToUpperInvariant()}}}"}}"""]),
        "bedrock" => [.. target.Frame([target.MinimalStream[0]]), .. EventStreamEncoder.Exception("internalServerException", $"failed near {HostileTargets.Key} and {HostileTargets.HeaderSecret}")],
        "dify" => target.Frame([target.MinimalStream[0], $$$"""{"event":"error","status":500,"code":"{{{HostileTargets.Key}}}","message":"failed near {{{HostileTargets.Key.ToUpperInvariant()}}}"}"""]),
        "sapaicore" => target.Frame([target.MinimalStream[0], $$$"""{"internalServerException":{"message":"failed near {{{HostileTargets.Key}}}"}}"""]),
        "openai-native" or "openai-codex" => HostileTargets.TypedEvents([$$$"""{"type":"error","code":"{{{HostileTargets.Key}}}","message":"bad {{{HostileTargets.Key.ToUpperInvariant()}}}","param":null,"sequence_number":1}"""]),
        _ => HostileTargets.DataEvents([$$$"""{"id":"gen-1","error":{"code":"{{{HostileTargets.Key}}}","message":"upstream said {{{HostileTargets.Key}}}"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}"""]),
    };

    /// <summary>An event-stream prelude with right checksum announcing a message of <paramref name="total"/> bytes and no headers.</summary>
    internal static byte[] Prelude(int total)
    {
        var prelude = new byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(prelude, total);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(prelude.AsSpan(4), 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), System.IO.Hashing.Crc32.HashToUInt32(prelude.AsSpan(0, 8)));
        return prelude;
    }
}
