using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Providers.Tests.Replay;
using Providers.Vertex;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Vertex;

public sealed class VertexGoogleCredentialsTests : IDisposable
{
    private const string ClientEmail = "providers-test@my-project.iam.gserviceaccount.com";
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"vertex-sa-{Guid.NewGuid():N}.json");

    public void Dispose()
    {
        _key.Dispose();
        File.Delete(_keyFile);
    }

    private void WriteKeyFile(Uri tokenUri) => File.WriteAllText(_keyFile, new JsonObject
    {
        ["type"] = "service_account",
        ["project_id"] = "my-project",
        ["private_key_id"] = "0123456789abcdef",
        ["private_key"] = _key.ExportPkcs8PrivateKeyPem(),
        ["client_email"] = ClientEmail,
        ["client_id"] = "100000000000000000001",
        ["token_uri"] = tokenUri.ToString(),
    }.ToJsonString());

    [Fact]
    public async Task A_service_account_key_file_gets_a_token_with_a_signed_assertion_and_reuses_it()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        WriteKeyFile(new Uri(server.BaseUri, "token"));
        server.Enqueue(
            ReplayResponse.Json(200, """{"access_token":"ya29.from-the-service-account","expires_in":3599,"token_type":"Bearer"}"""),
            Fixtures.Raw("gemini/text.sse"),
            Fixtures.Raw("gemini/text.sse"));
        var options = clock.Attach(new VertexOptions { BaseUrl = server.BaseUri, ProjectId = "my-project", Region = "us-central1", ModelId = "gemini-2.5-flash" });
        options.UseServiceAccountKeyFile(_keyFile);
        var handler = new VertexHandler(options);

        await CollectAsync(handler.CreateMessageAsync("s", [ChatMessage.User("Hi")]));
        await CollectAsync(handler.CreateMessageAsync("s", [ChatMessage.User("Hi again")]));

        var requests = server.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(("POST", "/token"), (requests[0].Method, requests[0].PathAndQuery));
        var form = requests[0].Body.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
        var jwt = form["assertion"].Split('.');
        Assert.True(_key.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), Base64Url(jwt[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), "the assertion is signed with the key file's key");
        var claims = JsonDocument.Parse(Base64Url(jwt[1])).RootElement;
        Assert.Equal(ClientEmail, claims.GetProperty("iss").GetString());
        Assert.Equal(VertexGoogleCredentials.CloudPlatformScope, claims.GetProperty("scope").GetString());
        Assert.All(requests.Skip(1), r => Assert.Equal("Bearer ya29.from-the-service-account", r.Headers["Authorization"]));
        Assert.All(requests.Skip(1), r => Assert.EndsWith("/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse", r.PathAndQuery));
    }

    [Fact]
    public async Task Application_default_credentials_follow_GOOGLE_APPLICATION_CREDENTIALS()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        WriteKeyFile(new Uri(server.BaseUri, "adc-token"));
        server.Enqueue(
            ReplayResponse.Json(200, """{"access_token":"ya29.from-adc","expires_in":3599,"token_type":"Bearer"}"""),
            Fixtures.Raw("gemini/text.sse"));
        var previous = Environment.GetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS");
        Environment.SetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS", _keyFile);
        try
        {
            var options = clock.Attach(new VertexOptions { BaseUrl = server.BaseUri, ProjectId = "my-project", Region = "us-central1", ModelId = "gemini-2.5-flash" });
            await CollectAsync(new VertexHandler(options.UseApplicationDefaultCredentials()).CreateMessageAsync("s", [ChatMessage.User("Hi")]));
        }
        finally
        {
            Environment.SetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS", previous);
        }

        Assert.Equal("/adc-token", server.Requests[0].PathAndQuery);
        Assert.Equal("Bearer ya29.from-adc", server.Requests[1].Headers["Authorization"]);
    }

    [Fact]
    public async Task A_refused_token_fails_with_the_endpoints_reason_and_nothing_secret()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        WriteKeyFile(new Uri(server.BaseUri, "token"));
        server.Enqueue(ReplayResponse.Json(400, """{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"""));
        var options = clock.Attach(new VertexOptions { BaseUrl = server.BaseUri, ProjectId = "my-project", Region = "us-central1" });
        options.UseServiceAccountKeyFile(_keyFile);

        var (chunks, error) = await CollectUntilErrorAsync(new VertexHandler(options).CreateMessageAsync("s", [ChatMessage.User("Hi")]));

        Assert.Empty(chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("credentials", ex.ErrorType);
        Assert.Contains("invalid_grant", ex.Message);
        Assert.DoesNotContain("PRIVATE KEY", ex.ToString(), StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void A_file_that_is_not_a_key_fails_at_once_naming_the_file()
    {
        File.WriteAllText(_keyFile, """{"type":"authorized_user"}""");

        var ex = Assert.Throws<ProviderConfigurationException>(() => new VertexOptions().UseServiceAccountKeyFile(_keyFile));

        Assert.Contains(_keyFile, ex.Message);
    }

    private static byte[] Base64Url(string text) =>
        Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
