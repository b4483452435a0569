// The overview's charts: data comes from a JSON block the server wrote into the page.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("overview-data").textContent);
  const palette = ["#243b53", "#486581", "#829ab1", "#f0b429", "#de911d", "#3ebd93", "#e12d39",
                   "#9446ed", "#0c6b58", "#627d98"];
  for (const chart of data.charts) {
    const canvas = document.getElementById(chart.id);
    if (!canvas) continue;
    new window.Chart(canvas, {
      type: chart.type,
      data: {
        labels: chart.labels,
        datasets: [{ label: chart.label, data: chart.values,
                     backgroundColor: chart.labels.map((_, i) => palette[i % palette.length]) }],
      },
      options: { animation: false, plugins: { legend: { display: chart.type !== "bar" } },
                 indexAxis: chart.horizontal ? "y" : "x",
                 scales: chart.type === "bar" ? { y: { ticks: { autoSkip: false } } } : {} },
    });
  }
})();
