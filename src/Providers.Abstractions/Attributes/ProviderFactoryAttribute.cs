using System.ComponentModel;

namespace Providers;

/// <summary>
/// Written by the source generator into every assembly that declares providers: tells the generator of a referencing
/// assembly where the factory of each provider is, so one registry can list them all without run-time scanning.
/// </summary>
/// <param name="id">The provider id.</param>
/// <param name="factoryType">The generated class holding the factory.</param>
/// <param name="createMethod">The name of its <c>static IApiHandler Create…(ProviderSettings, Mode)</c> method.</param>
/// <param name="descriptorProperty">The name of its <c>static ProviderDescriptor …Descriptor</c> property.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class ProviderFactoryAttribute(string id, Type factoryType, string createMethod, string descriptorProperty) : Attribute
{
    /// <summary>The provider id.</summary>
    public string Id { get; } = id;

    /// <summary>The generated class holding the factory.</summary>
    public Type FactoryType { get; } = factoryType;

    /// <summary>The factory method name.</summary>
    public string CreateMethod { get; } = createMethod;

    /// <summary>The descriptor property name.</summary>
    public string DescriptorProperty { get; } = descriptorProperty;
}
