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
    public void A_cached_signing_key_gives_the_published_signature_on_first_and_later_use()
    {
        var cache = new SigningKeyCache();

        var first = SigV4.Authorization("GET", new Uri("https://example.amazonaws.com/"), Headers(), [], Keys, "us-east-1", "service", "20150830T123600Z", cache);
        var second = SigV4.Authorization("GET", new Uri("https://example.amazonaws.com/"), Headers(), [], Keys, "us-east-1", "service", "20150830T123600Z", cache);

        const string GetVanilla = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
        Assert.Equal(GetVanilla, first);
        Assert.Equal(GetVanilla, second);

        // The second use took the key derived for the first, not a new derivation.
        Assert.Same(cache.Get(Keys.SecretAccessKey, "20150830", "us-east-1", "service"), cache.Get(Keys.SecretAccessKey, "20150830", "us-east-1", "service"));
    }

    [Fact]
    public void A_new_day_another_secret_region_or_service_derives_a_new_key()
    {
        const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        var cache = new SigningKeyCache();
        var day1 = cache.Get(Secret, "20150830", "us-east-1", "iam");

        // The key AWS documents for this secret, day, region and service (the example of deriving a signing key in the SigV4 documentation: IAM, us-east-1, 2015-08-30).
        Assert.Equal("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9", Convert.ToHexStringLower(day1));

        foreach (var (secret, date, region, service) in new[]
                 {
                     (Secret, "20150831", "us-east-1", "iam"),
                     ("another-secret", "20150830", "us-east-1", "iam"),
                     (Secret, "20150830", "eu-west-1", "iam"),
                     (Secret, "20150830", "us-east-1", "bedrock"),
                 })
        {
            var key = cache.Get(secret, date, region, service);
            Assert.NotEqual(day1, key);
            Assert.Equal(SigV4.SigningKey(secret, date, region, service), key);
        }

        // Back to the first scope: derived again (one entry is kept), the same key.
        Assert.Equal(day1, cache.Get(Secret, "20150830", "us-east-1", "iam"));
    }

    [Fact]
    public async Task Concurrent_signers_with_alternating_secrets_always_get_their_own_key()
    {
        var cache = new SigningKeyCache();
        var expected = new[] { SigV4.SigningKey("secret-a", "20150830", "us-east-1", "bedrock"), SigV4.SigningKey("secret-b", "20150830", "us-east-1", "bedrock") };

        var mismatches = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var which = (i + worker) % 2;
                if (!cache.Get(which == 0 ? "secret-a" : "secret-b", "20150830", "us-east-1", "bedrock").AsSpan().SequenceEqual(expected[which]))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        })));

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void The_key_cache_never_shows_the_secret()
    {
        var cache = new SigningKeyCache();
        cache.Get("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "service");

        Assert.DoesNotContain("wJalr", cache.ToString(), StringComparison.Ordinal);
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
