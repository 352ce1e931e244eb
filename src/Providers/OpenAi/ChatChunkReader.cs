using System.Text.Json;
using Providers.Http;

namespace Providers.OpenAi;

/// <summary>
/// Reads one <c>chat.completion.chunk</c> into a <see cref="ChatChunk"/> with <see cref="Utf8JsonReader"/>: the same
/// result as the source-generated serializer, without its per-call read stack, and with the <c>id</c> string only while
/// the caller still needs it (it is repeated in every chunk, and only the first one is kept).
/// </summary>
/// <remarks>
/// One reader per stream: it refills the same <see cref="ChatChunk"/>, its <c>choices</c> list and, per position in
/// that list, the same <see cref="ChatChoice"/> and <see cref="ChatDelta"/> for every event (the stream is done with one
/// event before the next is parsed, and keeps none of them), so a delta allocates only the text it carries. Tool-call
/// fragments and usage, rare, are new objects.
/// </remarks>
internal sealed class ChatChunkReader
{
    private static readonly KnownStrings FinishReasons = new("stop", "tool_calls", "length", "error", "content_filter");

    private readonly ChatChunk _chunk = new();
    private readonly List<ChatChoice> _choices = new(1);

    /// <summary>The choice objects (each with its own delta) handed out so far, by position: refilled, never shared between positions.</summary>
    private readonly List<(ChatChoice Choice, ChatDelta Delta)> _choicePool = new(1);

    /// <summary>
    /// The bytes every event of a stream repeats before <c>choices</c> (id, object, created, model, fingerprint) are
    /// tokenised once, not per event; what the reader keeps from them is the id.
    /// </summary>
    private readonly JsonPrefixResume<string?> _prefix = new();

    /// <summary>
    /// The chunk, or <see langword="null"/> for a JSON <c>null</c>. The chunk, its choices and their deltas are this
    /// reader's own and are refilled by the next call: read them before it.
    /// </summary>
    /// <exception cref="JsonException">The event is not valid JSON or a field has the wrong type.</exception>
    public ChatChunk? Read(ReadOnlySpan<byte> data, bool wantId)
    {
        // The id read so far: while boundaries are being marked it is read whether wanted or not, so that an event that
        // resumes after them has it whatever it wants.
        if (!_prefix.TryResume(data, out var reader, out var id))
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.Null)
            {
                JsonFields.End(ref reader);
                return null;
            }

            JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        }

        List<ChatChoice>? choices = null;
        ChatUsage? usage = null;
        JsonElement? error = null;

        // Boundaries are marked up to the first property whose value is more than the id.
        var marking = true;
        while (true)
        {
            if (marking)
            {
                _prefix.Mark(ref reader, id);
            }

            if (!JsonFields.NextProperty(ref reader, out var property))
            {
                break;
            }

            // Dispatched on the name's length first: most names (object, created, model, system_fingerprint, ...) fail there.
            if (property.Length is not (7 or 2 or 5))
            {
                JsonFields.SkipValue(ref reader);
            }
            else if (property.SequenceEqual("choices"u8))
            {
                marking = false;
                choices = reader.TokenType == JsonTokenType.Null ? null : ReadChoices(ref reader);
            }
            else if (property.SequenceEqual("id"u8))
            {
                if (wantId || marking)
                {
                    id = JsonFields.String(ref reader);
                }
                else if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    throw new JsonException("Expected a string id.");
                }
            }
            else if (property.SequenceEqual("usage"u8))
            {
                marking = false;
                usage = reader.TokenType == JsonTokenType.Null ? null : ReadUsage(ref reader);
            }
            else if (property.SequenceEqual("error"u8))
            {
                marking = false;
                error = reader.TokenType == JsonTokenType.Null ? null : JsonFields.Element(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        JsonFields.End(ref reader);
        _prefix.Commit(data);
        _chunk.Id = wantId ? id : null;
        _chunk.Choices = choices;
        _chunk.Usage = usage;
        _chunk.Error = error;
        return _chunk;
    }

    /// <summary>Refills <see cref="_choices"/> (a repeated <c>choices</c> refills it: the last one wins, as in the serializer).</summary>
    private List<ChatChoice> ReadChoices(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartArray);
        var choices = _choices;
        choices.Clear();
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return choices;
            }

            if (reader.TokenType == JsonTokenType.Null)
            {
                throw new JsonException("A choice was null.");
            }

            if (choices.Count == _choicePool.Count)
            {
                _choicePool.Add((new ChatChoice(), new ChatDelta()));
            }

            var (choice, delta) = _choicePool[choices.Count];
            ReadChoice(ref reader, choice, delta);
            choices.Add(choice);
        }
    }

    private static void ReadChoice(ref Utf8JsonReader reader, ChatChoice choice, ChatDelta pooledDelta)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        int? index = null;
        ChatDelta? delta = null;
        string? finishReason = null;
        JsonElement? error = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            // Dispatched on the name's length first: logprobs, and names no one reads, fail there.
            if (property.Length is not (5 or 13))
            {
                JsonFields.SkipValue(ref reader);
            }
            else if (property.SequenceEqual("delta"u8))
            {
                delta = reader.TokenType == JsonTokenType.Null ? null : ReadDelta(ref reader, pooledDelta);
            }
            else if (property.SequenceEqual("index"u8))
            {
                index = JsonFields.Int32(ref reader, fromString: true);
            }
            else if (property.SequenceEqual("finish_reason"u8))
            {
                finishReason = FinishReason(ref reader);
            }
            else if (property.SequenceEqual("error"u8))
            {
                error = reader.TokenType == JsonTokenType.Null ? null : JsonFields.Element(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        choice.Index = index;
        choice.Delta = delta;
        choice.FinishReason = finishReason;
        choice.Error = error;
    }

    /// <summary>The common finish reasons as shared strings: one is in the last chunk of every stream.</summary>
    private static string? FinishReason(ref Utf8JsonReader reader) => JsonFields.String(ref reader, FinishReasons);

    /// <summary>Refills <paramref name="target"/> (a repeated <c>delta</c> refills it: the last one wins, as in the serializer).</summary>
    private static ChatDelta ReadDelta(ref Utf8JsonReader reader, ChatDelta target)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? content = null, reasoningContent = null, reasoning = null;
        JsonElement? reasoningDetails = null;
        List<ToolCallDelta>? toolCalls = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            // Dispatched on the name's length first (role and refusal fail there), then on as few bytes as tell the names apart.
            switch (property.Length)
            {
                case 7 when property.SequenceEqual("content"u8):
                    content = JsonFields.String(ref reader);
                    break;
                case 9 when property.SequenceEqual("reasoning"u8):
                    reasoning = JsonFields.String(ref reader);
                    break;
                case 17 when property.SequenceEqual("reasoning_content"u8):
                    reasoningContent = JsonFields.String(ref reader);
                    break;
                case 17 when property.SequenceEqual("reasoning_details"u8):
                    reasoningDetails = reader.TokenType == JsonTokenType.Null ? null : JsonFields.Element(ref reader);
                    break;
                case 10 when property.SequenceEqual("tool_calls"u8):
                    toolCalls = reader.TokenType == JsonTokenType.Null ? null : ReadToolCalls(ref reader);
                    break;
                default:
                    JsonFields.SkipValue(ref reader);
                    break;
            }
        }

        target.Content = content;
        target.ReasoningContent = reasoningContent;
        target.Reasoning = reasoning;
        target.ReasoningDetails = reasoningDetails;
        target.ToolCalls = toolCalls;
        return target;
    }

    private static List<ToolCallDelta> ReadToolCalls(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartArray);
        var calls = new List<ToolCallDelta>(1);
        while (true)
        {
            JsonFields.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return calls;
            }

            JsonFields.Expect(ref reader, JsonTokenType.StartObject);
            int? index = null;
            string? id = null;
            FunctionDelta? function = null;
            while (JsonFields.NextProperty(ref reader, out var property))
            {
                if (property.SequenceEqual("index"u8))
                {
                    index = JsonFields.Int32(ref reader, fromString: true);
                }
                else if (property.SequenceEqual("id"u8))
                {
                    id = JsonFields.String(ref reader);
                }
                else if (property.SequenceEqual("function"u8))
                {
                    function = reader.TokenType == JsonTokenType.Null ? null : ReadFunction(ref reader);
                }
                else
                {
                    JsonFields.SkipValue(ref reader);
                }
            }

            calls.Add(new ToolCallDelta { Index = index, Id = id, Function = function });
        }
    }

    private static FunctionDelta ReadFunction(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? name = null, arguments = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("name"u8))
            {
                name = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("arguments"u8))
            {
                arguments = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new FunctionDelta { Name = name, Arguments = arguments };
    }

    /// <summary>
    /// Usage comes once per stream, but read by the generated serializer it cost more than the rest of the stream's
    /// setup once other code had run between two streams: its metadata path (a large parameterized-constructor
    /// converter, a read stack, property lookups) is cold each time, where these few fields reuse the reader code every
    /// event runs. A quoted cost (rare) is still the serializer's.
    /// </summary>
    private static ChatUsage ReadUsage(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        long? prompt = null, completion = null, hit = null, miss = null, cached = null, creation = null, read = null;
        decimal? cost = null;
        PromptTokensDetails? promptDetails = null;
        CompletionTokensDetails? completionDetails = null;
        CostDetails? costDetails = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("prompt_tokens"u8)) prompt = JsonFields.Int64(ref reader, fromString: true);
            else if (property.SequenceEqual("completion_tokens"u8)) completion = JsonFields.Int64(ref reader, fromString: true);
            else if (property.SequenceEqual("prompt_tokens_details"u8)) promptDetails = reader.TokenType == JsonTokenType.Null ? null : ReadPromptDetails(ref reader);
            else if (property.SequenceEqual("completion_tokens_details"u8)) completionDetails = reader.TokenType == JsonTokenType.Null ? null : ReadCompletionDetails(ref reader);
            else if (property.SequenceEqual("prompt_cache_hit_tokens"u8)) hit = JsonFields.Int64(ref reader, fromString: true);
            else if (property.SequenceEqual("prompt_cache_miss_tokens"u8)) miss = JsonFields.Int64(ref reader, fromString: true);
            else if (property.SequenceEqual("cached_tokens"u8)) cached = JsonFields.Int64(ref reader, fromString: true);
            else if (property.SequenceEqual("cache_creation_input_tokens"u8)) creation = JsonFields.Int64(ref reader, fromString: true);
            else if (property.SequenceEqual("cache_read_input_tokens"u8)) read = JsonFields.Int64(ref reader, fromString: true);
            else if (property.SequenceEqual("cost"u8)) cost = Decimal(ref reader);
            else if (property.SequenceEqual("cost_details"u8)) costDetails = reader.TokenType == JsonTokenType.Null ? null : ReadCostDetails(ref reader);
            else JsonFields.SkipValue(ref reader);
        }

        return new ChatUsage
        {
            PromptTokens = prompt,
            CompletionTokens = completion,
            PromptTokensDetails = promptDetails,
            CompletionTokensDetails = completionDetails,
            PromptCacheHitTokens = hit,
            PromptCacheMissTokens = miss,
            CachedTokens = cached,
            CacheCreationInputTokens = creation,
            CacheReadInputTokens = read,
            Cost = cost,
            CostDetails = costDetails,
        };
    }

    private static PromptTokensDetails ReadPromptDetails(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        long? cached = null, write = null, caching = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("cached_tokens"u8)) cached = JsonFields.Int64(ref reader, fromString: true);
            else if (property.SequenceEqual("cache_write_tokens"u8)) write = JsonFields.Int64(ref reader, fromString: true);
            else if (property.SequenceEqual("caching_tokens"u8)) caching = JsonFields.Int64(ref reader, fromString: true);
            else JsonFields.SkipValue(ref reader);
        }

        return new PromptTokensDetails { CachedTokens = cached, CacheWriteTokens = write, CachingTokens = caching };
    }

    private static CompletionTokensDetails ReadCompletionDetails(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        long? reasoning = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("reasoning_tokens"u8)) reasoning = JsonFields.Int64(ref reader, fromString: true);
            else JsonFields.SkipValue(ref reader);
        }

        return new CompletionTokensDetails { ReasoningTokens = reasoning };
    }

    private static CostDetails ReadCostDetails(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        decimal? upstream = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("upstream_inference_cost"u8)) upstream = Decimal(ref reader);
            else JsonFields.SkipValue(ref reader);
        }

        return new CostDetails { UpstreamInferenceCost = upstream };
    }

    /// <summary>A number as the serializer's decimal converter reads it (<see cref="Utf8JsonReader.GetDecimal"/>), or null; a quoted one is left to the serializer.</summary>
    private static decimal? Decimal(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetDecimal(out var value) => value,
        JsonTokenType.Null => null,
        JsonTokenType.String => JsonSerializer.Deserialize(ref reader, OpenAiJsonContext.Default.NullableDecimal),
        _ => throw new JsonException($"Expected a decimal number but found {reader.TokenType}."),
    };
}
