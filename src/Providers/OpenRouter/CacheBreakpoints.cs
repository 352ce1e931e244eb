using Providers.OpenAi;

namespace Providers.OpenRouter;

/// <summary>
/// Anthropic prompt caching on an OpenAI-shaped body, as the Anthropic provider does it: <c>cache_control</c>
/// breakpoints on the system prompt and on the last text part of the last two user messages, so the next request reads
/// what this one wrote. Used by the OpenRouter-shaped providers and by gateways in front of Claude (LiteLLM behind OCA).
/// </summary>
internal static class CacheBreakpoints
{
    public static void Add(List<WireMessage> messages)
    {
        if (messages.Count > 0 && messages[0].Role == "system" && messages[0].Content is { } system)
        {
            system.AsParts()[^1].CacheControl = true;
        }

        var marked = 0;
        for (var i = messages.Count - 1; i >= 0 && marked < 2; i--)
        {
            if (messages[i].Role != "user" || messages[i].Content is not { } content)
            {
                continue;
            }

            var parts = content.AsParts();
            if (parts.FindLast(p => p.Type == "text") is not { } lastText)
            {
                // A breakpoint needs a text part: an image-only message gets a placeholder one, as Cline does.
                lastText = WirePart.OfText("...");
                parts.Add(lastText);
            }

            lastText.CacheControl = true;

            marked++;
        }
    }
}
