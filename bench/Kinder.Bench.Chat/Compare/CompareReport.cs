using System.Globalization;
using System.Text;

namespace Kinder.Bench.Chat.Compare;

/// <summary>Every run's figures, as one markdown table per scenario: each round's Kinder and reference, then the ratio.</summary>
internal sealed class CompareReport
{
    private readonly List<(Scenario Scenario, int Round, ScenarioResult Kinder, ScenarioResult Reference)> _runs = [];

    public void Add(Scenario scenario, int round, ScenarioResult kinder, ScenarioResult reference) =>
        _runs.Add((scenario, round, kinder, reference));

    public string Markdown(string header)
    {
        var text = new StringBuilder(header).AppendLine();
        foreach (var runs in _runs.GroupBy(run => run.Scenario.Name).Select(group => group.ToList()))
        {
            text.AppendLine().AppendLine($"### {runs[0].Scenario.Title} (`{runs[0].Scenario.Name}`)").AppendLine();
            text.Append("| | ").AppendJoin(" | ", runs.Select(run => $"Kinder #{run.Round} | reference #{run.Round}"))
                .AppendLine(" | Kinder / reference |");
            text.Append("|---|").AppendJoin("", runs.Select(_ => "---:|---:|")).AppendLine("---:|");
            var names = runs.SelectMany(run => run.Kinder.Metrics.Concat(run.Reference.Metrics)).Select(metric => metric.Name).Distinct();
            foreach (var name in names)
            {
                string Cell(ScenarioResult result) => result.Metrics.FirstOrDefault(metric => metric.Name == name)?.Text ?? "";
                text.Append($"| {name} | ").AppendJoin(" | ", runs.Select(run => $"{Cell(run.Kinder)} | {Cell(run.Reference)}"))
                    .AppendLine($" | {Ratio(runs.Select(run => run.Kinder), runs.Select(run => run.Reference), name)} |");
            }
        }
        return text.ToString();
    }

    /// <summary>Median of Kinder's rounds over the median of the reference's, for numeric figures.</summary>
    private static string Ratio(IEnumerable<ScenarioResult> kinder, IEnumerable<ScenarioResult> reference, string name)
    {
        static double? Median(IEnumerable<ScenarioResult> results, string name)
        {
            var values = results.Select(result => result.Metrics.FirstOrDefault(metric => metric.Name == name)?.Value)
                .OfType<double>().Order().ToList();
            return values.Count == 0 ? null : (values[(values.Count - 1) / 2] + values[values.Count / 2]) / 2;
        }
        return (Median(kinder, name), Median(reference, name)) is ({ } a, { } b) && b != 0
            ? string.Create(CultureInfo.InvariantCulture, $"{a / b:F2}")
            : "";
    }
}
