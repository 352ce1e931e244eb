using System;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Providers.Generators.Emitting;

/// <summary>
/// A generated file's text over the <see cref="CodeWriter"/>'s chunks, as written: no copy into one string (at 1,000
/// providers the factories file is about 7 million characters, and that copy was a third of a full run's allocations).
/// UTF-8 and SHA-1, as <c>SourceText.From(string, Encoding.UTF8)</c> gives, so the compiler sees the same file.
/// Every chunk but the last is full (<see cref="CodeWriter.ChunkSize"/> characters).
/// </summary>
internal sealed class ChunkedText : SourceText
{
    private readonly char[][] _chunks;
    private readonly int _length;

    public ChunkedText(char[][] chunks, int length)
        : base(checksumAlgorithm: SourceHashAlgorithm.Sha1)
    {
        _chunks = chunks;
        _length = length;
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override int Length => _length;

    public override char this[int position]
    {
        get
        {
            if ((uint)position >= (uint)_length)
            {
                throw new ArgumentOutOfRangeException(nameof(position));
            }

            return _chunks[position >> CodeWriter.ChunkShift][position & (CodeWriter.ChunkSize - 1)];
        }
    }

    public override void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count)
    {
        if (destination is null)
        {
            throw new ArgumentNullException(nameof(destination));
        }

        if (sourceIndex < 0 || count < 0 || sourceIndex > _length - count)
        {
            throw new ArgumentOutOfRangeException(nameof(sourceIndex));
        }

        if (destinationIndex < 0 || destinationIndex > destination.Length - count)
        {
            throw new ArgumentOutOfRangeException(nameof(destinationIndex));
        }

        while (count > 0)
        {
            var chunk = _chunks[sourceIndex >> CodeWriter.ChunkShift];
            var offset = sourceIndex & (CodeWriter.ChunkSize - 1);
            var n = Math.Min(count, CodeWriter.ChunkSize - offset);
            Array.Copy(chunk, offset, destination, destinationIndex, n);
            sourceIndex += n;
            destinationIndex += n;
            count -= n;
        }
    }
}
