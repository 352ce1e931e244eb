namespace Providers.Cli.Rendering;

/// <summary>Prints the chunks of one answer as they arrive.</summary>
internal interface IChunkRenderer
{
    /// <summary>Prints (or holds, for a tool call still streaming) one chunk.</summary>
    void Write(ApiStreamChunk chunk);

    /// <summary>The stream ended normally: prints what was held and ends the line.</summary>
    void Complete();

    /// <summary>The stream failed or was cancelled: leaves the terminal tidy (colour reset, line ended) without printing held calls.</summary>
    void Abandon();
}
