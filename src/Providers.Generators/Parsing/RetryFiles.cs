using System;
using System.Collections.Immutable;
using System.Threading;
using Providers.Generators.Models;

namespace Providers.Generators.Parsing;

/// <summary>
/// Groups the retry wrappers into their files: one per namespace (<see cref="RetryModel.FileName"/>), files by name,
/// wrappers by class then method name, so the output does not depend on the order of files in the compilation.
/// Few files matter: the driver re-adds every cached file on every run at a cost that grows with their number.
/// </summary>
internal static class RetryFiles
{
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
        var wrappers = ImmutableArray.CreateBuilder<RetryModel>(count);
        foreach (var index in order)
        {
            var model = all[index]!;
            if (wrappers.Count > 0 && !string.Equals(wrappers[0].FileName, model.FileName, StringComparison.Ordinal))
            {
                files.Add(new RetryFileModel(wrappers[0].FileName, wrappers.ToImmutable().AsEquatableArray()));
                wrappers.Clear();
            }

            wrappers.Add(model);
        }

        files.Add(new RetryFileModel(wrappers[0].FileName, wrappers.ToImmutable().AsEquatableArray()));
        return files.ToImmutable();
    }
}
