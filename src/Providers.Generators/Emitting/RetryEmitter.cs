using Microsoft.CodeAnalysis.Text;
using Providers.Generators.Models;

namespace Providers.Generators.Emitting;

/// <summary>
/// Writes a <c>[WithRetry]</c> wrapper: the method the attribute names, calling its <c>…Core</c> method through a
/// <c>RetryPolicy</c> held in a static field (one per attribute configuration).
/// </summary>
internal static class RetryEmitter
{
    /// <summary>
    /// A file of wrappers (those of one namespace, in the order given): each under its own comment naming the class,
    /// in its own namespace block and chain of partial types, so any mix of namespaces and nesting stays valid C#.
    /// </summary>
    public static SourceText Emit(RetryFileModel file)
    {
        var w = new CodeWriter().Header();
        for (var i = 0; i < file.Wrappers.Count; i++)
        {
            if (i > 0)
            {
                w.Line();
            }

            Write(w, file.Wrappers[i]);
        }

        return w.ToSourceText();
    }

    private static void Write(CodeWriter w, RetryModel m)
    {
        w.Line($"// The retry of {m.TypeName}.{m.MethodName}");
        if (m.Namespace.Length > 0)
        {
            w.Open($"namespace {m.Namespace}");
        }

        foreach (var type in m.ContainingTypes)
        {
            w.Open(type);
        }

        var field = $"__{char.ToLowerInvariant(m.MethodName[0])}{m.MethodName.Substring(1)}Retry";
        w.Line($"/// <summary>The retry of <c>{m.MethodName}</c>: {m.MaxRetries} retries, {m.BaseDelayMs} ms doubling to at most {m.MaxDelayMs} ms{(m.RetryAllErrors ? ", every non-permanent error" : "")}.</summary>");
        w.Line(CodeWriter.GeneratedCodeAttribute);
        w.Line($"private static readonly global::Providers.RetryPolicy {field} = new(maxRetries: {CodeWriter.Int(m.MaxRetries)}, baseDelayMs: {CodeWriter.Int(m.BaseDelayMs)}, maxDelayMs: {CodeWriter.Int(m.MaxDelayMs)}, retryAllErrors: {CodeWriter.Bool(m.RetryAllErrors)});");
        w.Line();

        var withOverrides = m.IsClassLevel && Has(m.Parameters, "overrides");
        if (m.IsClassLevel && !withOverrides)
        {
            w.Line($"/// <summary>Streams the answer from <see cref=\"{Cref(m)}\"/>, retrying transient failures until the first chunk; see <see cref=\"global::Providers.IApiHandler.CreateMessageAsync\"/>.</summary>");
        }
        else if (!m.IsClassLevel)
        {
            w.Line($"/// <summary>Calls <see cref=\"{Cref(m)}\"/>, retrying transient failures.</summary>");
        }

        if (withOverrides)
        {
            // The IApiHandler face: the same stream with no overrides.
            w.Line("/// <summary>Streams the answer with the configured model and settings; see <see cref=\"global::Providers.IApiHandler.CreateMessageAsync\"/>.</summary>");
            w.Line(CodeWriter.GeneratedCodeAttribute);
            w.Line($"public {m.ReturnType} {m.MethodName}(string systemPrompt, global::System.Collections.Generic.IReadOnlyList<global::Providers.ChatMessage> messages, global::System.Collections.Generic.IReadOnlyList<global::Providers.ToolDefinition>? tools = null, global::System.Threading.CancellationToken cancellationToken = default) =>");
            w.Line($"    {m.MethodName}(systemPrompt, messages, tools, global::Providers.RequestOverrides.None, cancellationToken);");
            w.Line();
            w.Line("/// <summary>Streams the answer with <paramref name=\"overrides\"/> applied, retrying transient failures until the first chunk.</summary>");
        }

        w.Line(CodeWriter.GeneratedCodeAttribute);
        w.Write($"{m.Modifiers} {m.ReturnType} {m.MethodName}(");
        WriteSignature(w, m.Parameters);
        w.Line(") =>");
        if (m.CoreMethodName.Length == 0)
        {
            // Keeps the build to the one analyzer error that says what to write, instead of a cascade of compiler errors.
            var core = m.IsClassLevel ? global::Providers.Generators.Parsing.KnownNames.CreateMessageCoreMethod : global::Providers.Generators.Parsing.KnownNames.CoreMethodName(m.MethodName);
            w.Line($"    throw new global::System.NotImplementedException(\"[WithRetry] calls '{core}', which is missing or has another signature: write it with the parameters and return type of '{m.MethodName}'.\");");
        }
        else
        {
            w.Write($"    {field}.{Execute(m.Shape)}(");
            WriteLambda(w, m);
            w.Line($", {CodeWriter.Quote(m.ProviderId)}, {m.OptionsExpression ?? "null"}, {Token(m)});");
        }

        foreach (var _ in m.ContainingTypes)
        {
            w.Close();
        }

        if (m.Namespace.Length > 0)
        {
            w.Close();
        }
    }

    private static string Execute(RetryShape shape) => shape == RetryShape.AsyncEnumerable ? "ExecuteStreamAsync" : "ExecuteAsync";

    // The wrapper's parameter list, as declared: "[EnumeratorCancellation] Type name = default, ...".
    private static void WriteSignature(CodeWriter w, EquatableArray<ParameterModel> parameters)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (i > 0)
            {
                w.Write(", ");
            }

            if (p.IsEnumeratorCancellation)
            {
                w.Write("[global::System.Runtime.CompilerServices.EnumeratorCancellation] ");
            }

            w.Write($"{p.TypeName} {p.Name}");
            if (p.DefaultValue is not null)
            {
                w.Write($" = {p.DefaultValue}");
            }
        }
    }

    private static void WriteLambda(CodeWriter w, RetryModel m)
    {
        // The cast picks the overload: a lambda returning Task<T> would also fit Func<CancellationToken, Task>.
        var hasToken = false;
        foreach (var p in m.Parameters)
        {
            hasToken |= p.IsCancellationToken;
        }

        w.Write($"(global::System.Func<global::System.Threading.CancellationToken, {m.ReturnType}>)({(hasToken ? "__token" : "_")} => {m.CoreMethodName}(");
        for (var i = 0; i < m.Parameters.Count; i++)
        {
            var p = m.Parameters[i];
            w.Write($"{(i > 0 ? ", " : "")}{(p.IsCancellationToken ? "__token" : p.Name)}");
        }

        w.Write("))");
    }

    private static string Token(RetryModel m)
    {
        foreach (var p in m.Parameters)
        {
            if (p.IsCancellationToken)
            {
                return p.Name;
            }
        }

        return "global::System.Threading.CancellationToken.None";
    }

    private static bool Has(EquatableArray<ParameterModel> parameters, string name)
    {
        foreach (var p in parameters)
        {
            if (p.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    // An inherited Core is named through its class: a cref's simple name does not reach a base class's member.
    private static string Cref(RetryModel m) =>
        m.CoreMethodName.Length == 0 ? m.MethodName
        : m.CoreOwner.Length == 0 ? m.CoreMethodName
        : m.CoreOwner + "." + m.CoreMethodName;
}
