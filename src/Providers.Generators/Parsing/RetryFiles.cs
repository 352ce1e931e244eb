using System;
using System.Collections.Immutable;
using System.Threading;
using Providers.Generators.Models;

namespace Providers.Generators.Parsing;

/// <summary>
/// Groups the retry wrappers into their files: one per namespace (<see cref="RetryModel.FileName"/>), files by name,
/// wrappers by class then method name, so the output does not depend on the order of files in the compilation.
/// Few files matter: the driver re-adds every cached file on every run at a cost that grows with their number.
/// A namespace with more than <see cref="MaxWrappersPerFile"/> wrappers is split by a hash of the class name into a
/// power-of-two number of parts (<c>Contoso.Llm.3.Retries.g.cs</c>), so an edit to one wrapper re-emits (and the
/// compiler re-parses) about that many wrappers rather than the whole namespace's: at 1,000 wrappers in one file a
/// retry-count edit cost twice today's time and five times its allocations. A namespace segment never is all digits,
/// so a part's name cannot be another namespace's.
/// </summary>
internal static class RetryFiles
{
    public const int MaxWrappersPerFile = 64;

    public static ImmutableArray<RetryFileModel> Group(ImmutableArray<RetryModel?> all, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var model in all)
        {
            count += model is null ? 0 : 1;
        }

        if (count == 0)
        {
            return ImmutableArray<RetryFileModel>.Empty;
        }

        // The index of each model in the collected array breaks ties (an overloaded method: two wrappers of one
        // name), so the order is total and the sort's instability cannot show.
        var order = new int[count];
        for (int i = 0, n = 0; i < all.Length; i++)
        {
            if (all[i] is not null)
            {
                order[n++] = i;
            }
        }

        Array.Sort(order, (a, b) =>
        {
            var (x, y) = (all[a]!, all[b]!);
            var c = string.CompareOrdinal(x.FileName, y.FileName);
            c = c != 0 ? c : string.CompareOrdinal(x.TypeName, y.TypeName);
            c = c != 0 ? c : string.CompareOrdinal(x.MethodName, y.MethodName);
            return c != 0 ? c : a.CompareTo(b);
        });

        cancellationToken.ThrowIfCancellationRequested();
        var files = ImmutableArray.CreateBuilder<RetryFileModel>();
        for (var start = 0; start < order.Length;)
        {
            var fileName = all[order[start]]!.FileName;
            var end = start + 1;
            while (end < order.Length && string.Equals(all[order[end]]!.FileName, fileName, StringComparison.Ordinal))
            {
                end++;
            }

            AddFiles(files, all, order, start, end, fileName);
            start = end;
        }

        return files.ToImmutable();
    }

    // The wrappers order[start..end) share fileName: one file, or parts by class-name hash, each in the sorted order.
    private static void AddFiles(ImmutableArray<RetryFileModel>.Builder files, ImmutableArray<RetryModel?> all, int[] order, int start, int end, string fileName)
    {
        var count = end - start;
        var parts = 1;
        while (count > parts * MaxWrappersPerFile)
        {
            parts *= 2;
        }

        if (parts == 1)
        {
            var wrappers = ImmutableArray.CreateBuilder<RetryModel>(count);
            for (var i = start; i < end; i++)
            {
                wrappers.Add(all[order[i]]!);
            }

            files.Add(new RetryFileModel(fileName, wrappers.MoveToImmutable().AsEquatableArray()));
            return;
        }

        var buckets = new ImmutableArray<RetryModel>.Builder?[parts];
        for (var i = start; i < end; i++)
        {
            var model = all[order[i]]!;
            var bucket = (int)(Hash(model.TypeName) & (uint)(parts - 1));
            (buckets[bucket] ??= ImmutableArray.CreateBuilder<RetryModel>()).Add(model);
        }

        var stem = fileName.Substring(0, fileName.Length - KnownNames.RetryFileSuffix.Length);
        for (var b = 0; b < parts; b++)
        {
            if (buckets[b] is { } wrappers)
            {
                var name = stem + "." + b.ToString(System.Globalization.CultureInfo.InvariantCulture) + KnownNames.RetryFileSuffix;
                files.Add(new RetryFileModel(name, wrappers.ToImmutable().AsEquatableArray()));
            }
        }
    }

    // FNV-1a over the name: the same in every process and version (string.GetHashCode is randomised per process).
    private static uint Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        // The parts are picked by the low bits: fold the high ones in.
        return hash ^ (hash >> 16);
    }
}
