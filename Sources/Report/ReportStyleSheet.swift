/// The page's only style sheet, inlined into `<style>`: a white sheet on a grey desk, system
/// sans-serif text, monospace stage names, and the SVG styling that the chart and DAG markup rely on.
enum ReportStyleSheet {
    static let sans = #"system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif"#
    static let mono = #"ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace"#

    static let css = """
    *{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%}
    body{margin:0;background:#eef0f3;color:#1f2933;font:15px/1.55 \(sans)}
    main.report{max-width:1180px;margin:28px auto;padding:36px 48px 28px;background:#fff;border:1px solid #dde1e6;border-radius:8px}
    header.page{border-bottom:2px solid #1f2933;padding-bottom:14px}
    header.page h1{font-size:27px;line-height:1.25;margin:0 0 4px;font-weight:650;letter-spacing:-.01em}
    .subtitle{margin:0;color:#5b6675}
    nav.contents{margin-top:10px;font-size:13px}
    nav.contents a{color:#1d5fbf;text-decoration:none;margin-right:16px}
    nav.contents a:hover{text-decoration:underline}
    h2{font-size:19px;font-weight:650;margin:34px 0 14px;padding-bottom:6px;border-bottom:1px solid #dde1e6}
    code,.mono{font-family:\(mono);font-size:13px}
    code{background:#f3f4f6;border-radius:4px;padding:1px 5px}
    dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:5px 28px;margin:0}
    dl.facts dt{color:#5b6675}
    dl.facts dd{margin:0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
    p.lead{margin:0 0 12px;color:#3e4a59}
    .dag-scroll{overflow-x:auto;border:1px solid #dde1e6;border-radius:6px;background:#fbfcfd;padding:6px}
    svg{display:block}
    svg.dag{max-width:100%;height:auto}
    svg text{font-family:\(sans);fill:#1f2933}
    svg .legend text{font-size:11px;fill:#3e4a59}
    svg.dag .node-label{font-family:\(mono);font-size:12px;font-weight:600}
    svg.dag .node-parameters{font-family:\(mono);font-size:11px;fill:#2b3440}
    svg.dag .node-detail{font-size:10.5px;fill:#4b5563}
    svg.dag .edges path{fill:none;stroke:#8a94a3;stroke-width:1.3}
    svg.dag .arrowhead{fill:#8a94a3;stroke:none}
    svg.dag .node rect{stroke-width:1.3}
    svg.chart{max-width:100%;height:auto}
    svg.chart .chart-title{font-size:14px;font-weight:600}
    svg.chart .grid line{stroke:#e6e8eb;stroke-width:1}
    svg.chart .axis{fill:none;stroke:#6b7280;stroke-width:1}
    svg.chart .tick-labels text{font-size:11px;fill:#4b5563;font-variant-numeric:tabular-nums}
    svg.chart .axis-label{font-size:12px;fill:#374151}
    svg.chart .series path{fill:none;stroke-width:1.6;stroke-linejoin:round;stroke-linecap:round}
    svg.chart .legend line{stroke-width:2.5}
    svg.chart .no-data{font-size:13px;fill:#8a94a3}
    figure{margin:0 0 30px}
    figure.chart{padding:4px 0}
    figcaption{margin:0 0 8px}
    figcaption .figure-title{font-weight:600}
    figcaption .caption{color:#5b6675;font-size:14px}
    .table-scroll{overflow-x:auto}
    table{border-collapse:collapse;font-size:14px}
    th,td{padding:6px 16px;border-bottom:1px solid #e6e8eb;white-space:nowrap}
    thead th{background:#f5f6f8;border-top:1px solid #c9ced6;border-bottom:2px solid #c9ced6;font-weight:600}
    tbody tr:nth-child(even){background:#fafbfc}
    .align-left{text-align:left}
    .align-center{text-align:center}
    .align-right{text-align:right}
    td.num{font-variant-numeric:tabular-nums}
    td.best{background:#e3f4e6}
    td.best strong{color:#17561c;font-weight:650}
    ul.notes{margin:0;padding-left:22px}
    ul.notes li{margin:4px 0}
    footer.page{margin-top:36px;padding-top:10px;border-top:1px solid #dde1e6;color:#8a94a3;font-size:12px}
    @media print{body{background:#fff}main.report{border:0;margin:0;padding:0;max-width:none}figure,.dag-scroll{break-inside:avoid}.dag-scroll{overflow:visible}nav.contents{display:none}}
    """
}
