using System.Text.Json;
using Providers.Http;

namespace Providers.Gemini;

/// <summary>
/// Reads one <c>streamGenerateContent</c> event into a <see cref="GenerateContentResponse"/> with
/// <see cref="Utf8JsonReader"/>: the same result as the source-generated serializer, without its per-call read stack,
/// and without strings the decoder never looks at (<c>modelVersion</c>, <c>content.role</c>, and <c>responseId</c> once
/// the decoder has one: it is repeated in every event and only the first is kept). The usage totals, repeated in every
/// event, are the previous event's instance while they do not change; and what follows the candidates (usage, model
/// version, response id), repeated byte for byte until the totals change, is read once and then replayed while its
/// bytes stay the same (<see cref="JsonTailReplay{TResult}"/>).
/// </summary>
/// <remarks>
/// One reader per stream: it refills the same response, its candidates list and, per position in that list, the same
/// candidate, content, parts list and, per position, part for every event (GeminiStreamDecoder is done with one event
/// before the next is parsed and keeps none of them: only strings and the usage, which is never refilled), so a text
/// delta allocates only its text. A reference already in place (the same pooled object, or null again) is not stored
/// again, so a steady stream of text events costs no write barriers beyond the text's. Property names are dispatched
/// on their length first. Function calls, usage, errors and prompt feedback, rare, are new objects.
/// Errors and prompt feedback come once per stream, if at all: the generated serializer reads them. <c>inlineData</c>
/// (generated images) and <c>functionResponse</c> (a request-only part) are skipped: the decoder yields neither.
/// </remarks>
internal sealed class GeminiResponseReader
{
    private static readonly KnownStrings FinishReasons = new("STOP", "MAX_TOKENS", "SAFETY", "RECITATION", "MALFORMED_FUNCTION_CALL");

    private readonly GenerateContentResponse _response = new();

    /// <summary>
    /// What follows the candidates in the last event read whole (<c>usageMetadata</c>, <c>modelVersion</c>,
    /// <c>responseId</c>, repeated byte for byte until the totals change) when it held only those three, with whether it
    /// set the usage and to what. Replayed only when the response id is not wanted: then the usage is all the tail gives.
    /// </summary>
    private readonly JsonTailReplay<(bool SetsUsage, UsageMetadata? Usage)> _tail = new();
    private readonly RefilledList<GeminiCandidate> _candidates = new();

    /// <summary>The candidates handed out so far, by position, each with its content and parts: refilled, never shared between positions.</summary>
    private readonly List<CandidateSlot> _candidatePool = new(1);

    /// <summary>One position of the candidates list: its candidate, content, parts list and parts by position.</summary>
    private sealed class CandidateSlot
    {
        public readonly GeminiCandidate Candidate = new();
        public readonly GeminiContent Content = new();
        public readonly RefilledList<GeminiPart> Parts = new();
        public readonly List<GeminiPart> PartPool = new(1);
    }

    /// <summary>
    /// The event, or <see langword="null"/> for a JSON <c>null</c>. The response, its candidates, their content and
    /// parts are this reader's own and are refilled by the next call: read them before it.
    /// </summary>
    /// <param name="data">The event's data.</param>
    /// <param name="wantResponseId">Whether to read <c>responseId</c> into a string; when not, its type is still checked.</param>
    /// <param name="lastUsage">The previous event's usage: returned instead of a new equal one.</param>
    /// <exception cref="JsonException">The event is not valid JSON or a field has the wrong type.</exception>
    public GenerateContentResponse? Read(ReadOnlySpan<byte> data, bool wantResponseId, UsageMetadata? lastUsage = null)
    {
        var reader = new Utf8JsonReader(data);
        JsonFields.Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            JsonFields.End(ref reader);
            return null;
        }

        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        IReadOnlyList<GeminiCandidate>? candidates = null;
        PromptFeedback? promptFeedback = null;
        UsageMetadata? usage = null;
        string? responseId = null;
        GoogleError? error = null;

        // Where the properties after the candidates begin (-1 before them, or when they cannot be replayed), and whether they set the usage.
        var tail = -1;
        var tailSetsUsage = false;
        var repeated = false;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            // Dispatched on the name's length first, then on its bytes; in the order Google sends them.
            switch (property.Length)
            {
                case 10 when property.SequenceEqual("candidates"u8):
                    candidates = reader.TokenType == JsonTokenType.Null ? null : ReadCandidates(ref reader);
                    tail = -1;
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        tail = (int)reader.BytesConsumed;
                        tailSetsUsage = false;
                        if (!wantResponseId && _tail.TryReplay(data[tail..], out var replayed))
                        {
                            // Bytes read whole in an earlier event, from the same reader state (in the top object, after an array):
                            // they are valid JSON again and set the same fields.
                            repeated = true;
                            if (replayed.SetsUsage)
                            {
                                usage = replayed.Usage;
                            }
                        }
                    }

                    break;
                case 13 when property.SequenceEqual("usageMetadata"u8):
                    usage = reader.TokenType == JsonTokenType.Null ? null : ReadUsage(ref reader, lastUsage);
                    tailSetsUsage = true;
                    break;
                case 12 when property.SequenceEqual("modelVersion"u8):
                    CheckString(ref reader);
                    break;
                case 10 when property.SequenceEqual("responseId"u8):
                    if (wantResponseId)
                    {
                        responseId = JsonFields.String(ref reader);
                    }
                    else
                    {
                        CheckString(ref reader);
                    }

                    break;
                case 14 when property.SequenceEqual("promptFeedback"u8):
                    promptFeedback = JsonSerializer.Deserialize(ref reader, GeminiJsonContext.Default.PromptFeedback);
                    tail = -1;
                    break;
                case 5 when property.SequenceEqual("error"u8):
                    error = JsonSerializer.Deserialize(ref reader, GeminiJsonContext.Default.GoogleError);
                    tail = -1;
                    break;
                default:
                    JsonFields.SkipValue(ref reader);
                    tail = -1;
                    break;
            }

            if (repeated)
            {
                break;
            }
        }

        if (!repeated)
        {
            JsonFields.End(ref reader);
            if (tail < 0)
            {
                _tail.Forget();
            }
            else
            {
                _tail.Remember(data[tail..], (tailSetsUsage, usage));
            }
        }

        // Each reference is stored only when it changed: most are the same as the last event's (or null again), and a
        // store of a reference costs a write barrier.
        var response = _response;
        if (!ReferenceEquals(response.Candidates, candidates))
        {
            response.Candidates = candidates;
        }

        if (!ReferenceEquals(response.UsageMetadata, usage))
        {
            response.UsageMetadata = usage;
        }

        if (!ReferenceEquals(response.ResponseId, responseId))
        {
            response.ResponseId = responseId;
        }

        if (promptFeedback is not null || response.PromptFeedback is not null)
        {
            response.PromptFeedback = promptFeedback;
        }

        if (error is not null || response.Error is not null)
        {
            response.Error = error;
        }

        return response;
    }

    private RefilledList<GeminiCandidate> ReadCandidates(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartArray);
        var candidates = _candidates;
        var count = 0;
        JsonFields.Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            // A null candidate is kept, as the serializer keeps it: the decoder reads only the first, and a null one has nothing.
            candidates.Put(count, reader.TokenType == JsonTokenType.Null ? null! : ReadCandidate(ref reader, Slot(count)));
            count++;
            JsonFields.Next(ref reader);
        }

        candidates.Count = count;
        return candidates;
    }

    private CandidateSlot Slot(int position)
    {
        // A null candidate before this one takes no slot of its own, so the pool may be more than one short.
        while (_candidatePool.Count <= position)
        {
            _candidatePool.Add(new CandidateSlot());
        }

        return _candidatePool[position];
    }

    private static GeminiCandidate ReadCandidate(ref Utf8JsonReader reader, CandidateSlot slot)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        GeminiContent? content = null;
        string? finishReason = null, finishMessage = null;
        int? index = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            // safetyRatings, citationMetadata, avgLogprobs, groundingMetadata and the like fail on the length or the bytes and are skipped.
            switch (property.Length)
            {
                case 7 when property.SequenceEqual("content"u8):
                    content = reader.TokenType == JsonTokenType.Null ? null : ReadContent(ref reader, slot);
                    break;
                case 5 when property.SequenceEqual("index"u8):
                    index = JsonFields.Int32(ref reader);
                    break;
                case 12 when property.SequenceEqual("finishReason"u8):
                    finishReason = FinishReason(ref reader);
                    break;
                case 13 when property.SequenceEqual("finishMessage"u8):
                    finishMessage = JsonFields.String(ref reader);
                    break;
                default:
                    JsonFields.SkipValue(ref reader);
                    break;
            }
        }

        var candidate = slot.Candidate;
        if (!ReferenceEquals(candidate.Content, content))
        {
            candidate.Content = content;
        }

        if (!ReferenceEquals(candidate.FinishReason, finishReason))
        {
            candidate.FinishReason = finishReason;
        }

        if (!ReferenceEquals(candidate.FinishMessage, finishMessage))
        {
            candidate.FinishMessage = finishMessage;
        }

        candidate.Index = index;
        return candidate;
    }

    /// <summary>The common finish reasons as shared strings: one is in the last event of every stream.</summary>
    private static string? FinishReason(ref Utf8JsonReader reader) => JsonFields.String(ref reader, FinishReasons);

    private static GeminiContent ReadContent(ref Utf8JsonReader reader, CandidateSlot slot)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        IReadOnlyList<GeminiPart>? parts = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            switch (property.Length)
            {
                case 5 when property.SequenceEqual("parts"u8):
                    parts = reader.TokenType == JsonTokenType.Null ? null : ReadParts(ref reader, slot);
                    break;
                case 4 when property.SequenceEqual("role"u8):
                    CheckString(ref reader);
                    break;
                default:
                    JsonFields.SkipValue(ref reader);
                    break;
            }
        }

        var content = slot.Content;
        if (!ReferenceEquals(content.Parts, parts))
        {
            content.Parts = parts;
        }

        return content;
    }

    private static RefilledList<GeminiPart> ReadParts(ref Utf8JsonReader reader, CandidateSlot slot)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartArray);
        var parts = slot.Parts;
        var pool = slot.PartPool;
        var count = 0;
        JsonFields.Next(ref reader);
        while (reader.TokenType != JsonTokenType.EndArray)
        {
            if (count == pool.Count)
            {
                pool.Add(new GeminiPart());
            }

            parts.Put(count, ReadPart(ref reader, pool[count]));
            count++;
            JsonFields.Next(ref reader);
        }

        parts.Count = count;
        return parts;
    }

    private static GeminiPart ReadPart(ref Utf8JsonReader reader, GeminiPart part)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            throw new JsonException("A part was null.");
        }

        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? text = null, thoughtSignature = null;
        bool? thought = null;
        GeminiFunctionCall? functionCall = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            // inlineData, functionResponse, executableCode and the like fail on the length or the bytes and are skipped.
            switch (property.Length)
            {
                case 4 when property.SequenceEqual("text"u8):
                    text = JsonFields.String(ref reader);
                    break;
                case 7 when property.SequenceEqual("thought"u8):
                    thought = reader.TokenType == JsonTokenType.Null ? null : JsonFields.Boolean(ref reader);
                    break;
                case 16 when property.SequenceEqual("thoughtSignature"u8):
                    thoughtSignature = JsonFields.String(ref reader);
                    break;
                case 12 when property.SequenceEqual("functionCall"u8):
                    functionCall = reader.TokenType == JsonTokenType.Null ? null : ReadFunctionCall(ref reader);
                    break;
                default:
                    JsonFields.SkipValue(ref reader);
                    break;
            }
        }

        // InlineData and FunctionResponse are never set on a part of the reader's own.
        part.Text = text;
        part.Thought = thought;
        if (!ReferenceEquals(part.ThoughtSignature, thoughtSignature))
        {
            part.ThoughtSignature = thoughtSignature;
        }

        if (!ReferenceEquals(part.FunctionCall, functionCall))
        {
            part.FunctionCall = functionCall;
        }

        return part;
    }

    private static GeminiFunctionCall ReadFunctionCall(ref Utf8JsonReader reader)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        string? id = null, name = null;
        JsonElement? args = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            if (property.SequenceEqual("name"u8))
            {
                name = JsonFields.String(ref reader);
            }
            else if (property.SequenceEqual("args"u8))
            {
                args = reader.TokenType == JsonTokenType.Null ? null : JsonFields.Element(ref reader);
            }
            else if (property.SequenceEqual("id"u8))
            {
                id = JsonFields.String(ref reader);
            }
            else
            {
                JsonFields.SkipValue(ref reader);
            }
        }

        return new GeminiFunctionCall { Id = id, Name = name, Args = args };
    }

    private static UsageMetadata ReadUsage(ref Utf8JsonReader reader, UsageMetadata? last)
    {
        JsonFields.Expect(ref reader, JsonTokenType.StartObject);
        long? prompt = null, candidates = null, cached = null, thoughts = null, total = null;
        while (JsonFields.NextProperty(ref reader, out var property))
        {
            // The five counts differ in length; promptTokensDetails and the like fail on it or on the bytes and are skipped.
            switch (property.Length)
            {
                case 16 when property.SequenceEqual("promptTokenCount"u8):
                    prompt = JsonFields.Int64(ref reader);
                    break;
                case 20 when property.SequenceEqual("candidatesTokenCount"u8):
                    candidates = JsonFields.Int64(ref reader);
                    break;
                case 15 when property.SequenceEqual("totalTokenCount"u8):
                    total = JsonFields.Int64(ref reader);
                    break;
                case 23 when property.SequenceEqual("cachedContentTokenCount"u8):
                    cached = JsonFields.Int64(ref reader);
                    break;
                case 18 when property.SequenceEqual("thoughtsTokenCount"u8):
                    thoughts = JsonFields.Int64(ref reader);
                    break;
                default:
                    JsonFields.SkipValue(ref reader);
                    break;
            }
        }

        if (last is not null && last.PromptTokenCount == prompt && last.CandidatesTokenCount == candidates && last.CachedContentTokenCount == cached
            && last.ThoughtsTokenCount == thoughts && last.TotalTokenCount == total)
        {
            return last;
        }

        return new UsageMetadata
        {
            PromptTokenCount = prompt,
            CandidatesTokenCount = candidates,
            CachedContentTokenCount = cached,
            ThoughtsTokenCount = thoughts,
            TotalTokenCount = total,
        };
    }

    /// <summary>
    /// Checks a string the decoder does not use as the serializer would read it (a string or <see langword="null"/>,
    /// valid UTF-8, escapes that unescape) without making the string, except for an escaped one (rare).
    /// </summary>
    private static void CheckString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            // These values (a model name, an id, a role) are ASCII: one vector check, and the full UTF-8 one otherwise.
            var value = reader.ValueSpan;
            if (!System.Text.Ascii.IsValid(value) && !System.Text.Unicode.Utf8.IsValid(value))
            {
                throw new JsonException("A string was not valid UTF-8.");
            }

            return;
        }

        _ = JsonFields.String(ref reader);
    }

    /// <summary>
    /// A list refilled by position for every event: an item already at its position (the same pooled candidate or part
    /// as in the last event) is not stored again, so a steady stream costs no store of a reference, no write barrier and
    /// no clearing, where <see cref="List{T}"/> would clear its array and store every item anew.
    /// </summary>
    /// <remarks>Positions past <see cref="Count"/> keep their (pooled) items until refilled; they are never handed out.</remarks>
    private sealed class RefilledList<T> : IReadOnlyList<T>
        where T : class?
    {
        private T[] _items = new T[1];
        private int _count;

        /// <summary>The number of items of the last refill; set once the refill is complete.</summary>
        public int Count
        {
            get => _count;
            set => _count = value;
        }

        public T this[int index] => (uint)index < (uint)_count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

        /// <summary>Puts <paramref name="item"/> at <paramref name="index"/> (at most one past the last position filled in this refill).</summary>
        public void Put(int index, T item)
        {
            if (index == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
            }

            if (!ReferenceEquals(_items[index], item))
            {
                _items[index] = item;
            }
        }

        public IEnumerator<T> GetEnumerator()
        {
            for (var i = 0; i < _count; i++)
            {
                yield return _items[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
