using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Providers.Generators.Tests.Generator;

/// <summary>
/// Models flow between incremental steps and are compared for caching: one that holds a symbol, node, location or
/// compilation roots old compilations and defeats the cache. This walks every model type and fails if one slips in.
/// </summary>
public class ModelPurityTests
{
    private static readonly Type[] Forbidden = [typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxTree), typeof(AttributeData)];

    [Fact]
    public void No_model_holds_a_symbol_node_location_or_compilation()
    {
        var models = typeof(ProviderGenerator).Assembly.GetTypes()
            .Where(t => t.Namespace == "Providers.Generators.Models" && !t.IsEnum && !t.Name.StartsWith('<') && t.Name != "IsExternalInit")
            .ToArray();
        Assert.Contains(models, t => t.Name == "ProviderModel");
        Assert.Contains(models, t => t.Name == "RetryModel");

        var seen = new HashSet<Type>();
        foreach (var model in models)
        {
            Walk(model, model.Name, seen);
        }
    }

    [Fact]
    public void The_walk_detects_a_symbol_when_one_is_present()
    {
        var ex = Record.Exception(() => Walk(typeof(Leaky), nameof(Leaky), []));
        Assert.NotNull(ex);
    }

    private static void Walk(Type type, string path, HashSet<Type> seen)
    {
        if (Forbidden.Any(f => f.IsAssignableFrom(type)))
        {
            Assert.Fail($"{path} is a {type.Name}: models must hold only values.");
        }

        if (type.IsPrimitive || type == typeof(string) || type.IsEnum || !seen.Add(type))
        {
            return;
        }

        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            Walk(argument, $"{path}<{argument.Name}>", seen);
        }

        if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
        {
            return;
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.FieldType, $"{path}.{field.Name}", seen);
        }
    }

    private sealed record Leaky(string Name, ISymbol Symbol);
}
