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
    where TContent : ITextOrParts<TPart>
    where TPart : IContentPart
{
    /// <inheritdoc/>
    public sealed override TContent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Message content is only written.");

    /// <inheritdoc/>
    public sealed override void Write(Utf8JsonWriter writer, TContent value, JsonSerializerOptions options)
    {
        if (value.Parts is not { } parts)
        {
            writer.WriteStringValue(value.Text);
            return;
        }

        writer.WriteStartArray();
        foreach (var part in parts)
        {
            writer.WriteStartObject();
            writer.WriteString("type", part.Type);
            if (part.Text is not null)
            {
                writer.WriteString("text", part.Text);
            }

            WriteOtherFields(writer, part);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes the part's fields after <c>type</c> and <c>text</c>.</summary>
    protected abstract void WriteOtherFields(Utf8JsonWriter writer, TPart part);
}

/// <summary>Message content: plain text, or parts.</summary>
/// <typeparam name="TPart">One part.</typeparam>
internal interface ITextOrParts<TPart>
{
    /// <summary>The text when there are no parts.</summary>
    string? Text { get; }

    /// <summary>The parts, or <see langword="null"/> for plain text.</summary>
    List<TPart>? Parts { get; }
}

/// <summary>A content part: its <c>type</c> and, for a text part, its <c>text</c>.</summary>
internal interface IContentPart
{
    string Type { get; }

    string? Text { get; }
}
