using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Providers.Bedrock;

/// <summary>AWS credentials resolved for one request. <see cref="ToString"/> never shows the secrets.</summary>
/// <param name="AccessKeyId">The access key id.</param>
/// <param name="SecretAccessKey">The secret access key.</param>
/// <param name="SessionToken">The session token of temporary credentials, if any.</param>
internal sealed record AwsKeys(string AccessKeyId, string SecretAccessKey, string? SessionToken)
{
    public override string ToString() => $"AwsKeys {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = [redacted], SessionToken = {(SessionToken is null ? "none" : "[redacted]")} }}";
}

/// <summary>
/// Signature Version 4 (AWS's documented request signing): the canonical request, the string to sign, the HMAC-SHA256 key
/// chain, and the <c>Authorization</c>, <c>X-Amz-Date</c> and <c>X-Amz-Security-Token</c> headers.
/// </summary>
/// <remarks>
/// Written on the BCL rather than taken from AWSSDK.Core: the SDK's <c>AWS4Signer</c> lives in an internal namespace,
/// needs a service <c>ClientConfig</c> and an SDK request object, and always adds and signs
/// <c>X-Amz-Content-SHA256</c>, so it cannot be checked against AWS's published test vectors; this one is (the
/// <c>get-vanilla</c> and <c>post-vanilla</c> cases of the SigV4 test suite). Signed headers: <c>host</c>,
/// <c>x-amz-date</c> and, with temporary credentials, <c>x-amz-security-token</c>.
/// </remarks>
internal static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Adds the SigV4 headers to <paramref name="request"/>, whose body is <paramref name="body"/>.</summary>
    /// <param name="request">The request to sign.</param>
    /// <param name="body">Its body.</param>
    /// <param name="keys">The credentials.</param>
    /// <param name="region">The region of the scope.</param>
    /// <param name="service">The service of the scope.</param>
    /// <param name="now">The time signed.</param>
    /// <param name="signingKeys">The caller's cache of the derived key; <see langword="null"/> derives it afresh.</param>
    public static void Sign(HttpRequestMessage request, ReadOnlySpan<byte> body, AwsKeys keys, string region, string service, DateTimeOffset now, SigningKeyCache? signingKeys = null)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : uri.Authority,
            ["x-amz-date"] = amzDate,
        };
        if (!string.IsNullOrEmpty(keys.SessionToken))
        {
            headers["x-amz-security-token"] = keys.SessionToken;
        }

        var authorization = Authorization(request.Method.Method, uri, headers, body, keys, region, service, amzDate, signingKeys);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (!string.IsNullOrEmpty(keys.SessionToken))
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", keys.SessionToken);
        }

        request.Headers.TryAddWithoutValidation("Authorization", authorization);
    }

    /// <summary>The <c>Authorization</c> header value for a request with these (lower-case) headers to sign.</summary>
    public static string Authorization(
        string method,
        Uri uri,
        SortedDictionary<string, string> headers,
        ReadOnlySpan<byte> body,
        AwsKeys keys,
        string region,
        string service,
        string amzDate,
        SigningKeyCache? signingKeys = null)
    {
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = CanonicalRequest(method, uri, headers, signedHeaders, Hex(SHA256.HashData(body)));
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = signingKeys is null ? SigningKey(keys.SecretAccessKey, date, region, service) : signingKeys.Get(keys.SecretAccessKey, date, region, service);
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return $"{Algorithm} Credential={keys.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    /// <summary>The canonical request: method, canonical URI, canonical query, canonical headers, signed headers, payload hash.</summary>
    public static string CanonicalRequest(string method, Uri uri, SortedDictionary<string, string> headers, string signedHeaders, string payloadHash)
    {
        var builder = new StringBuilder();
        builder.Append(method).Append('\n');
        builder.Append(CanonicalUri(uri.AbsolutePath)).Append('\n');
        builder.Append(CanonicalQuery(uri.Query)).Append('\n');
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        builder.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);
        return builder.ToString();
    }

    /// <summary>
    /// Every path segment, as sent (already percent-encoded once), encoded again: services other than S3 sign the
    /// double-encoded path, so the model id <c>…-v1:0</c>, sent as <c>…-v1%3A0</c>, is signed as <c>…-v1%253A0</c>.
    /// </summary>
    public static string CanonicalUri(string absolutePath)
    {
        if (string.IsNullOrEmpty(absolutePath))
        {
            return "/";
        }

        return string.Join('/', absolutePath.Split('/').Select(Encode));
    }

    private static string CanonicalQuery(string query)
    {
        if (query.Length <= 1)
        {
            return "";
        }

        var pairs = query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
                return (Name: Encode(name), Value: Encode(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>The signing key of a day's scope: HMAC-SHA256 of the date, region, service and <c>aws4_request</c>, in turn, keyed by <c>"AWS4" + secret</c>.</summary>
    internal static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    /// <summary>RFC 3986 encoding as SigV4 defines it: every byte but the unreserved characters, upper-case hex.</summary>
    private static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}

/// <summary>
/// The last SigV4 signing key derived, for the requests that follow on the same day with the same secret, region and
/// service (the key is valid for that scope only, so another day's date derives a new one); saves the four HMAC-SHA256
/// of the derivation per request. One entry, replaced whole, so concurrent signers read either the old or the new one.
/// </summary>
/// <remarks>
/// Holds the secret only to compare it; <see cref="ToString"/> shows neither it nor the key. Callers must not change
/// the array <see cref="Get"/> returns (HMAC only reads its key).
/// </remarks>
internal sealed class SigningKeyCache
{
    private Entry? _last;

    /// <summary>The signing key of <paramref name="secret"/> for the scope <paramref name="date"/>/<paramref name="region"/>/<paramref name="service"/>.</summary>
    public byte[] Get(string secret, string date, string region, string service)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && last.Matches(secret, date, region, service))
        {
            return last.Key;
        }

        var key = SigV4.SigningKey(secret, date, region, service);
        Volatile.Write(ref _last, new Entry(secret, date, region, service, key));
        return key;
    }

    public override string ToString() => "SigningKeyCache { [redacted] }";

    private sealed class Entry(string secret, string date, string region, string service, byte[] key)
    {
        public byte[] Key { get; } = key;

        public bool Matches(string secret2, string date2, string region2, string service2) =>
            string.Equals(date, date2, StringComparison.Ordinal)
            && string.Equals(region, region2, StringComparison.Ordinal)
            && string.Equals(service, service2, StringComparison.Ordinal)
            && string.Equals(secret, secret2, StringComparison.Ordinal);

        public override string ToString() => "SigningKeyCache.Entry { [redacted] }";
    }
}
