using System.Text;

namespace Providers.Tests.Hostile;

/// <summary>What a run against a hostile server ended with: the chunks, then nothing or the failure.</summary>
public sealed record Outcome(IReadOnlyList<ApiStreamChunk> Chunks, Exception? Error)
{
    public ProviderException ProviderError => Assert.IsAssignableFrom<ProviderException>(Error);
}

public static class HostileKit
{
    /// <summary>Far beyond anything a passing run needs: a run that takes this long hung.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Streams one answer and asserts the containment rule: chunks, then completion or a <see cref="ProviderException"/>
    /// (never another exception type), within <see cref="HangLimit"/>, with no secret in the failure.
    /// </summary>
    public static async Task<Outcome> RunAsync(IApiHandler handler)
    {
        var chunks = new List<ApiStreamChunk>();
        Exception? error = null;
        var run = Task.Run(async () =>
        {
            try
            {
                await foreach (var chunk in handler.CreateMessageAsync("sys", [ChatMessage.User("hi")]))
                {
                    chunks.Add(chunk);
                }
            }
#pragma warning disable CA1031 // The point is to see whatever escapes.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = ex;
            }
        });
        if (await Task.WhenAny(run, Task.Delay(HangLimit)) != run)
        {
            throw new Xunit.Sdk.XunitException($"The run did not end within {HangLimit.TotalSeconds} s: it hung.");
        }

        Assert.True(error is null or ProviderException, $"Only a ProviderException may escape, but got: {error}");
        if (error is not null)
        {
            AssertNoSecret(error);
        }

        return new Outcome(chunks, error);
    }

    /// <summary>Raw HTTP/1.1 response head with <c>Connection: close</c>.</summary>
    public static string Head(string statusLine, params string[] headers) =>
        string.Join("\r\n", new[] { "HTTP/1.1 " + statusLine }.Concat(headers).Append("Connection: close"));

    /// <summary>No secret, nor its first 8 characters in any letter case, appears in <paramref name="text"/>.</summary>
    public static void AssertNoSecret(string? text, params string[] more)
    {
        if (text is null)
        {
            return;
        }

        foreach (var secret in new[] { HostileTargets.Key, HostileTargets.HeaderSecret }.Concat(more))
        {
            var prefix = secret[..SecretRedactor.MinimumPrefixLength];
            Assert.False(text.Contains(prefix, StringComparison.OrdinalIgnoreCase), $"A secret prefix '{prefix}' leaked into: {text}");
        }
    }

    public static void AssertNoSecret(Exception exception, params string[] more)
    {
        AssertNoSecret(exception.Message, more);
        AssertNoSecret(exception.ToString(), more);
        if (exception is ProviderException provider)
        {
            AssertNoSecret(provider.ErrorType, more);
        }
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
