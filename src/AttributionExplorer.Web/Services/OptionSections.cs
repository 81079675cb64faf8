using AttributionExplorer.Core.Options;

namespace AttributionExplorer.Web.Services;

public static class OptionSections
{
    /// <summary>The validated settings, and each section on its own so a component asks only for its concern.</summary>
    public static IServiceCollection AddOptionSections(this IServiceCollection services, AppOptions options) => services
        .AddSingleton(options)
        .AddSingleton(options.Trak)
        .AddSingleton(options.Clip)
        .AddSingleton(options.Evaluation);
}
