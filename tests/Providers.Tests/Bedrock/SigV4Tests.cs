using Providers.Bedrock;

namespace Providers.Tests.Bedrock;

/// <summary>The published AWS Signature Version 4 test suite cases (credentials AKIDEXAMPLE, region us-east-1, service "service", 2015-08-30T12:36:00Z).</summary>
public class SigV4Tests
{
    private static readonly AwsKeys Keys = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);

    private static SortedDictionary<string, string> Headers() => new(StringComparer.Ordinal)
    {
        ["host"] = "example.amazonaws.com",
        ["x-amz-date"] = "20150830T123600Z",
    };

    [Theory]
    [InlineData("GET", "https://example.amazonaws.com/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")] // get-vanilla
    [InlineData("POST", "https://example.amazonaws.com/", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")] // post-vanilla
    [InlineData("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")] // get-vanilla-query-order-key-case
    public void Matches_the_published_test_vectors(string method, string url, string signature)
    {
        var authorization = SigV4.Authorization(method, new Uri(url), Headers(), [], Keys, "us-east-1", "service", "20150830T123600Z");

        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}",
            authorization);
    }

    [Fact]
    public void Builds_the_canonical_request_of_get_vanilla()
    {
        var canonical = SigV4.CanonicalRequest("GET", new Uri("https://example.amazonaws.com/"), Headers(), "host;x-amz-date", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        Assert.Equal("GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", canonical);
    }

    [Theory]
    [InlineData("/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream", "/model/anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse-stream")]
    [InlineData("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Aapplication-inference-profile%2Fabc/converse-stream", "/model/arn%253Aaws%253Abedrock%253Aus-east-1%253A1%253Aapplication-inference-profile%252Fabc/converse-stream")]
    [InlineData("/", "/")]
    public void Encodes_each_path_segment_a_second_time(string sent, string canonical)
    {
        Assert.Equal(canonical, SigV4.CanonicalUri(sent));
    }

    [Fact]
    public void Keys_never_show_their_secrets()
    {
        var keys = new AwsKeys("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "TOKEN-0123456789");

        Assert.DoesNotContain("wJalr", keys.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("TOKEN-0123456789", keys.ToString(), StringComparison.Ordinal);
    }
}
