using System.Net;
using Providers.Tests.Replay;
using static Providers.Tests.Bedrock.BedrockTestKit;
using static Providers.Tests.Replay.StreamCollector;

namespace Providers.Tests.Bedrock;

/// <summary>
/// Where Bedrock names an error's type: the <c>x-amzn-ErrorType</c> header (AWS's JSON protocol: the type before the
/// colon, a URL after it) when the body has no <c>__type</c>, and <c>:exception-type</c> of an event-stream exception.
/// </summary>
public class BedrockErrorTypeTests
{
    [Theory]
    [InlineData(400, "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/", "ValidationException", false)]
    [InlineData(403, "AccessDeniedException", "AccessDeniedException", false)]
    [InlineData(404, "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.bedrock/", "ResourceNotFoundException", false)]
    [InlineData(429, "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", "ThrottlingException", true)]
    [InlineData(503, "ServiceUnavailableException:http://internal.amazon.com/coral/com.amazon.bedrock/", "ServiceUnavailableException", true)]
    public async Task The_error_type_comes_from_the_x_amzn_ErrorType_header_when_the_body_has_none(int status, string header, string type, bool retryable)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(
            ReplayResponse.Json(status, """{"message":"Bedrock says no."}""", new Dictionary<string, string> { ["x-amzn-ErrorType"] = header }),
            Fixture("bedrock-text.chunks.txt"));

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        // A retryable error is retried (and the second answer streams); the first error is what the retry saw.
        var ex = Assert.IsType<ProviderException>(retryable ? Assert.Single(clock.Retries).Error : error);
        Assert.Equal(retryable, error is null);
        Assert.Equal(retryable, chunks.Count > 0);
        Assert.Equal(ServerText.ErrorTypeToken(type), ex.ErrorType);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(retryable, ex.IsRetryable);
        Assert.Contains($"({type})", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("internal.amazon.com", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Bedrock says no", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_body_type_wins_over_the_header()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(
            400,
            """{"__type":"com.amazon.bedrock#ValidationException","message":"Malformed input request."}""",
            new Dictionary<string, string> { ["x-amzn-ErrorType"] = "SomethingElseException:http://internal.amazon.com/coral/com.amazon.bedrock/" }));

        var (_, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal("validation_exception", Assert.IsType<ProviderException>(error).ErrorType);
    }

    [Fact]
    public async Task Without_a_type_in_body_or_header_there_is_none()
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        server.Enqueue(ReplayResponse.Json(400, """{"message":"Malformed input request."}"""));

        var (_, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Null(Assert.IsType<ProviderException>(error).ErrorType);
    }

    [Theory]
    [InlineData("modelStreamErrorException", HttpStatusCode.FailedDependency, false)]
    [InlineData("modelStreamErrorException", HttpStatusCode.FailedDependency, true)]
    [InlineData("internalServerException", HttpStatusCode.InternalServerError, true)]
    [InlineData("validationException", HttpStatusCode.BadRequest, true)]
    public async Task An_exception_message_in_the_event_stream_is_a_provider_exception_of_its_type(string type, HttpStatusCode status, bool oneByte)
    {
        await using var server = await ReplayServer.StartAsync();
        using var clock = new FastRetryClock();
        var frames = Frames(
            EventStreamEncoder.Event("messageStart", """{"role":"assistant","p":"abc"}"""),
            EventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hal"},"p":"abcdef"}"""),
            EventStreamEncoder.Exception(type, "The model stopped: try again."));
        server.Enqueue(oneByte ? frames.OneByteAtATime() : frames);

        var (chunks, error) = await CollectUntilErrorAsync(Ask(Handler(server, clock)));

        Assert.Equal([new TextChunk("Hal")], chunks);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal(ServerText.ErrorTypeToken(type), ex.ErrorType);
        Assert.Equal(status, ex.StatusCode);
        Assert.True(ex.OutputStarted);
        Assert.Contains("The model stopped: try again.", ex.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
    }
}
