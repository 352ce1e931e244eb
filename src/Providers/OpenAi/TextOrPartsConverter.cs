using System.Text.Json;
using System.Text.Json.Serialization;

namespace Providers.OpenAi;

/// <summary>
/// Writes OpenAI-shaped message content, without reflection: a plain string, or an array of part objects that each
/// start with <c>type</c> and an optional <c>text</c>, followed by the fields of that kind of part. Content is only
/// ever sent, never read.
/// </summary>
/// <typeparam name="TContent">The content: text or parts.</typeparam>
/// <typeparam name="TPart">One part.</typeparam>
internal abstract class TextOrPartsConverter<TContent, TPart> : JsonConverter<TContent>
{
    /// <inheritdoc/>
    public sealed override TContent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Message content is only written.");

    /// <inheritdoc/>
    public sealed override void Write(Utf8JsonWriter writer, TContent value, JsonSerializerOptions options)
    {
        if (PartsOf(value) is not { } parts)
        {
            writer.WriteStringValue(TextOf(value));
            return;
        }

        writer.WriteStartArray();
        foreach (var part in parts)
        {
            writer.WriteStartObject();
            var (type, text) = TypeAndText(part);
            writer.WriteString("type", type);
            if (text is not null)
            {
                writer.WriteString("text", text);
            }

            WriteOtherFields(writer, part);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The text of content that has no parts.</summary>
    protected abstract string? TextOf(TContent content);

    /// <summary>The parts, or <see langword="null"/> for plain text.</summary>
    protected abstract IReadOnlyList<TPart>? PartsOf(TContent content);

    /// <summary>A part's <c>type</c> and its <c>text</c>, if it has one.</summary>
    protected abstract (string Type, string? Text) TypeAndText(TPart part);

    /// <summary>Writes the part's fields after <c>type</c> and <c>text</c>.</summary>
    protected abstract void WriteOtherFields(Utf8JsonWriter writer, TPart part);
}
