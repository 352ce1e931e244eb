using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime.Internal.Auth;
using Microsoft.Extensions.Time.Testing;
using Providers.Bedrock;
using Providers.Tests.Replay;
using static Providers.Tests.Bedrock.BedrockTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Bedrock;

public class BedrockRequestTests
{
    private const string SonnetPath = "/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream";

    [Fact]
    public async Task Posts_the_exact_body_to_converse_stream_signed_with_sigv4_and_the_session_token()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixture("bedrock-text.chunks.txt"));
        var sent = new List<Uri>();
        var options = FixedClockOptions();
        options.HttpClient = new HttpClient(new UriRecorder(sent, new SocketsHttpHandler()));

        await CollectAsync(Ask(Handler(server, options, o => o.SessionToken = SessionToken)));

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(SonnetPath, Assert.Single(sent).AbsolutePath);
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"Hello"}]}],"system":[{"text":"You are terse."}],"inferenceConfig":{"maxTokens":64000,"temperature":0}}""",
            request.Body);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.Equal("20150830T123600Z", request.Headers["X-Amz-Date"]);
        Assert.Equal(SessionToken, request.Headers["X-Amz-Security-Token"]);

        // The signature recomputed by AWSSDK.Core's signer from the canonical request the SigV4 spec defines: the path
        // segment encoded twice (':' -> %3A -> %253A), the signed headers sorted, the hex SHA-256 of the exact body.
        var host = server.BaseUri.Authority;
        var canonical = $"POST\n/model/anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse-stream\n\nhost:{host}\nx-amz-date:20150830T123600Z\nx-amz-security-token:{SessionToken}\n\nhost;x-amz-date;x-amz-security-token\n"
            + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.Body)));
        var expected = AWS4Signer.ComputeSignature(AccessKey, SecretKey, "us-east-1", new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc), "bedrock", "host;x-amz-date;x-amz-security-token", canonical);
        Assert.Equal(expected.ForAuthorizationHeader, request.Headers["Authorization"]);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=", request.Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_handler_signs_each_request_with_the_key_of_its_day_cached_or_not()
    {
        await using var server = await ReplayServer.StartAsync();
        var options = FixedClockOptions();
        var clock = (FakeTimeProvider)options.TimeProvider;
        var handler = Handler(server, options);

        // Day one twice (the second signs with the cached key), then the next day (a new key for the new scope).
        var instants = new[] { new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc), new DateTime(2015, 8, 30, 23, 59, 59, DateTimeKind.Utc), new DateTime(2015, 8, 31, 0, 0, 1, DateTimeKind.Utc) };
        foreach (var instant in instants)
        {
            clock.SetUtcNow(instant);
            server.Enqueue(Fixture("bedrock-text.chunks.txt"));
            await CollectAsync(Ask(handler));
        }

        Assert.Equal(instants.Length, server.Requests.Count);
        for (var i = 0; i < instants.Length; i++)
        {
            var request = server.Requests[i];
            var amzDate = instants[i].ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(amzDate, request.Headers["X-Amz-Date"]);
            var canonical = $"POST\n/model/anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse-stream\n\nhost:{server.BaseUri.Authority}\nx-amz-date:{amzDate}\n\nhost;x-amz-date\n"
                + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.Body)));
            var expected = AWS4Signer.ComputeSignature(AccessKey, SecretKey, "us-east-1", instants[i], "bedrock", "host;x-amz-date", canonical);
            Assert.Equal(expected.ForAuthorizationHeader, request.Headers["Authorization"]);
            Assert.StartsWith($"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{amzDate[..8]}/us-east-1/bedrock/aws4_request, ", request.Headers["Authorization"], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // awsAuthentication unset: an API key without an access key chooses it
    public async Task An_api_key_is_sent_as_a_bearer_token_and_nothing_is_signed(bool explicitMode)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("bedrock-text.chunks.txt"));

        await CollectAsync(Ask(Handler(server, clock, o =>
        {
            o.AccessKey = null;
            o.SecretKey = null;
            o.Authentication = explicitMode ? AwsAuthentication.ApiKey : null;
            o.ApiKey = ApiKey;
        })));

        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer " + ApiKey, request.Headers["Authorization"]);
        Assert.False(request.Headers.ContainsKey("X-Amz-Date"));
        Assert.False(request.Headers.ContainsKey("X-Amz-Security-Token"));
    }

    [Fact]
    public async Task A_named_profile_of_the_shared_credentials_file_signs_the_request()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bedrock-credentials-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = defaultSecret0123456789\n\n[work]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profileSecret0123456789\naws_session_token = profileToken0123456789\n");
        try
        {
            await using var server = await ReplayServer.StartAsync();
            using var clock = new FastRetryClock();
            server.Enqueue(Fixture("bedrock-text.chunks.txt"));

            await CollectAsync(Ask(Handler(server, clock, o =>
            {
                o.AccessKey = null;
                o.SecretKey = null;
                o.UseProfile = true; // Cline's older switch: awsAuthentication unset
                o.Profile = "work";
                o.SharedCredentialsFile = file;
            })));

            var request = Assert.Single(server.Requests);
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDPROFILE/", request.Headers["Authorization"], StringComparison.Ordinal);
            Assert.Equal("profileToken0123456789", request.Headers["X-Amz-Security-Token"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_missing_profile_fails_before_sending_and_says_what_to_set()
    {
        var file = Path.Combine(Path.GetTempPath(), $"bedrock-credentials-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = defaultSecret0123456789\n");
        try
        {
            await using var server = await ReplayServer.StartAsync();
            using var clock = new FastRetryClock();

            var (_, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock, o =>
            {
                o.Authentication = AwsAuthentication.Profile;
                o.Profile = "nope";
                o.SharedCredentialsFile = file;
            })));

            var ex = Assert.IsType<ProviderException>(error);
            Assert.Equal("credentials_not_found", ex.ErrorType);
            Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("awsProfile", ex.Message, StringComparison.Ordinal);
            Assert.False(ex.IsRetryable);
            Assert.Empty(server.Requests);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Prompt_caching_adds_cache_points_after_the_system_prompt_and_the_last_two_user_messages()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("bedrock-text.chunks.txt"));
        var handler = Handler(server, clock, o => o.UsePromptCache = true);

        await CollectAsync(handler.CreateMessageAsync("You are terse.", [
            ChatMessage.User("one"), ChatMessage.Assistant("1"), ChatMessage.User("two"), ChatMessage.Assistant("2"), ChatMessage.User("three"),
        ]));

        var body = Assert.Single(server.Requests).Body;
        Assert.Equal("""[{"text":"You are terse."},{"cachePoint":{"type":"default"}}]""", Member(body, "system"));
        Assert.Equal(
            """[{"role":"user","content":[{"text":"one"}]},{"role":"assistant","content":[{"text":"1"}]},{"role":"user","content":[{"text":"two"},{"cachePoint":{"type":"default"}}]},{"role":"assistant","content":[{"text":"2"}]},{"role":"user","content":[{"text":"three"},{"cachePoint":{"type":"default"}}]}]""",
            Member(body, "messages"));
    }

    [Fact]
    public async Task A_thinking_budget_enables_extended_thinking_with_temperature_one()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("bedrock-reasoning.chunks.txt"));

        await CollectAsync(Ask(Handler(server, clock, o => o.ThinkingBudgetTokens = 4096)));

        var body = Assert.Single(server.Requests).Body;
        Assert.Equal("""{"maxTokens":64000,"temperature":1}""", Member(body, "inferenceConfig"));
        Assert.Equal("""{"thinking":{"type":"enabled","budget_tokens":4096}}""", Member(body, "additionalModelRequestFields"));
    }

    [Fact]
    public async Task An_adaptive_thinking_model_gets_the_effort_and_no_temperature()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(Fixture("bedrock-text.chunks.txt"));

        await CollectAsync(Ask(Handler(server, clock, o =>
        {
            o.ModelId = "anthropic.claude-opus-4-6-v1";
            o.ReasoningEffort = "low";
        })));

        var body = Assert.Single(server.Requests).Body;
        Assert.Equal("""{"maxTokens":128000}""", Member(body, "inferenceConfig"));
        Assert.Equal("""{"thinking":{"type":"adaptive"},"output_config":{"effort":"low"}}""", Member(body, "additionalModelRequestFields"));
    }

    [Fact]
    public async Task The_1m_suffix_is_dropped_from_the_path_and_sent_as_the_context_beta()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Enqueue(Fixture("bedrock-text.chunks.txt"));
        var sent = new List<Uri>();
        var options = FixedClockOptions();
        options.HttpClient = new HttpClient(new UriRecorder(sent, new SocketsHttpHandler()));
        var handler = Handler(server, options, o => o.ModelId = "anthropic.claude-sonnet-4-5-20250929-v1:0:1m");

        await CollectAsync(Ask(handler));

        Assert.Equal(SonnetPath, Assert.Single(sent).AbsolutePath);
        Assert.Equal("""{"anthropic_beta":["context-1m-2025-08-07"]}""", Member(Assert.Single(server.Requests).Body, "additionalModelRequestFields"));
        Assert.Equal(1_000_000, handler.GetModel().Info.ContextWindow);
        Assert.Equal("anthropic.claude-sonnet-4-5-20250929-v1:0:1m", handler.GetModel().Id);
    }

    [Theory]
    [InlineData("us-west-2", "anthropic.claude-sonnet-4-5-20250929-v1:0", false, "us.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("eu-central-1", "anthropic.claude-sonnet-4-5-20250929-v1:0", false, "eu.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("ap-southeast-2", "anthropic.claude-opus-4-1-20250805-v1:0", false, "apac.anthropic.claude-opus-4-1-20250805-v1:0")]
    [InlineData("ap-northeast-1", "anthropic.claude-sonnet-4-5-20250929-v1:0", false, "jp.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("ca-central-1", "anthropic.claude-sonnet-4-5-20250929-v1:0", false, "anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("us-east-1", "anthropic.claude-sonnet-4-5-20250929-v1:0", true, "global.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("us-east-1", "anthropic.claude-opus-4-1-20250805-v1:0", true, "us.anthropic.claude-opus-4-1-20250805-v1:0")]
    [InlineData("eu-west-1", "anthropic.claude-sonnet-4-6:1m", false, "eu.anthropic.claude-sonnet-4-6")]
    public void Cross_region_inference_prefixes_the_model_id_as_cline_does(string region, string model, bool global, string expected)
    {
        var handler = new BedrockHandler(new BedrockOptions
        {
            Region = region, ModelId = model, UseCrossRegionInference = true, UseGlobalInference = global, AccessKey = AccessKey, SecretKey = SecretKey,
        });

        Assert.Equal(expected, handler.WireModelIdForTests);
    }

    [Fact]
    public void A_custom_model_arn_is_sent_unchanged_with_its_base_models_limits()
    {
        const string Arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123";
        var handler = new BedrockHandler(new BedrockOptions
        {
            ModelId = Arn, CustomSelected = true, CustomModelBaseId = "anthropic.claude-haiku-4-5-20251001-v1:0", UseCrossRegionInference = true, AccessKey = AccessKey, SecretKey = SecretKey,
        });

        Assert.Equal(Arn, handler.WireModelIdForTests);
        Assert.Equal(1m, handler.GetModel().Info.InputPrice);
        Assert.Equal(Arn, handler.GetModel().Id);
    }

    [Fact]
    public void An_unknown_model_is_kept_with_default_limits_and_no_prices()
    {
        var handler = new BedrockHandler(new BedrockOptions { ModelId = "meta.llama4-maverick-17b-instruct-v1:0", AccessKey = AccessKey, SecretKey = SecretKey });

        Assert.Equal("meta.llama4-maverick-17b-instruct-v1:0", handler.GetModel().Id);
        Assert.Null(handler.GetModel().Info.InputPrice);
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once_by_its_cline_key()
    {
        var error = Assert.Throws<ProviderConfigurationException>(() => new BedrockHandler(new BedrockOptions
        {
            Region = "US East", Authentication = AwsAuthentication.ApiKey, ThinkingBudgetTokens = -1,
        }));

        Assert.Equal(["awsRegion", "awsBedrockApiKey", "planModeThinkingBudgetTokens/actModeThinkingBudgetTokens"], error.Problems.Select(p => p.Key));
    }

    [Fact]
    public void An_access_key_without_its_secret_is_reported()
    {
        var error = Assert.Throws<ProviderConfigurationException>(() => new BedrockHandler(new BedrockOptions { AccessKey = AccessKey }));

        Assert.Equal("awsSecretKey", Assert.Single(error.Problems).Key);
        Assert.DoesNotContain(AccessKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Clines_settings_keys_bind_through_the_registry()
    {
        var settings = ProviderSettings.Parse("""
            {
              "actModeApiProvider": "bedrock",
              "awsAccessKey": "AKIDEXAMPLE",
              "awsSecretKey": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
              "awsRegion": "eu-west-1",
              "awsAuthentication": "credentials",
              "awsUseCrossRegionInference": true,
              "awsBedrockUsePromptCache": true,
              "actModeApiModelId": "anthropic.claude-haiku-4-5-20251001-v1:0",
              "planModeApiModelId": "amazon.nova-pro-v1:0",
              "actModeThinkingBudgetTokens": 2048
            }
            """);

        var act = Assert.IsType<BedrockHandler>(ProviderRegistry.Build(settings, Mode.Act));
        var plan = Assert.IsType<BedrockHandler>(ProviderRegistry.Create("bedrock", settings, Mode.Plan));

        Assert.Equal("eu.anthropic.claude-haiku-4-5-20251001-v1:0", act.WireModelIdForTests);
        Assert.Equal("eu.amazon.nova-pro-v1:0", plan.WireModelIdForTests);
        Assert.Equal(300_000, plan.GetModel().Info.ContextWindow);
        var descriptor = ProviderRegistry.Providers.Single(p => p.Id == "bedrock");
        var keys = descriptor.AllKeys.ToHashSet();
        Assert.Superset(
            new HashSet<string> { "planModeApiModelId", "actModeApiModelId", "actModeThinkingBudgetTokens", "actModeAwsBedrockCustomSelected", "actModeAwsBedrockCustomModelBaseId", "awsAccessKey", "awsSecretKey", "awsSessionToken", "awsRegion", "awsAuthentication", "awsBedrockApiKey", "awsUseProfile", "awsProfile", "awsUseCrossRegionInference", "awsUseGlobalInference", "awsBedrockUsePromptCache", "awsBedrockEndpoint" },
            keys);
        Assert.True(descriptor.Settings.Single(s => s.PlanModeKey == "awsSecretKey").IsSecret);
        Assert.True(descriptor.Settings.Single(s => s.PlanModeKey == "awsBedrockApiKey").IsSecret);
        Assert.True(descriptor.Settings.Single(s => s.PlanModeKey == "awsSessionToken").IsSecret);
    }

    /// <summary>Records each request URI exactly as the client sends it (the server side decodes the path).</summary>
    private sealed class UriRecorder(List<Uri> sent, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (sent)
            {
                sent.Add(request.RequestUri!);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
