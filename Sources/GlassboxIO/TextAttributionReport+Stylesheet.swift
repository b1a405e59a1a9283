extension TextAttributionReport {
    /// The report's CSS, inlined in its `<style>` element: dark text on white, neutral grey
    /// probability bars (red and blue mean attributions only), method panels side by side where
    /// the window is wide enough and stacked where it is not.
    static let stylesheet = """
        :root { color-scheme: light; }
        body { margin: 0; padding: 24px 32px; background: #ffffff; color: #1b1b1f;
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        h1 { font-size: 22px; margin: 0 0 8px; }
        h2 { font-size: 18px; margin: 0 0 4px; }
        h3 { font-size: 15px; margin: 0; }
        section.document { border-top: 1px solid #d5d8de; padding-top: 14px; margin-top: 14px; }
        .prediction { margin: 0 0 8px; }
        table.probabilities { border-collapse: collapse; font-size: 13px; margin: 0 0 4px; }
        table.probabilities th { text-align: left; font-weight: normal; padding: 1px 10px 1px 0; }
        table.probabilities td { padding: 1px 10px 1px 0; font-variant-numeric: tabular-nums; }
        table.probabilities tr.explained th { font-weight: bold; }
        .track { position: relative; width: 280px; height: 12px; background: #eceef2; border-radius: 2px; }
        .fill { height: 100%; background: #a3a9b3; border-radius: 2px; }
        tr.explained .fill { background: #4d5562; }
        .whisker { position: absolute; top: 2px; height: 8px; box-sizing: border-box;
          border-left: 1px solid #1b1b1f; border-right: 1px solid #1b1b1f;
          background: linear-gradient(#1b1b1f, #1b1b1f) center / 100% 1px no-repeat; }
        .caption { font-size: 12px; color: #5a606b; margin: 0 0 8px; }
        .notice { background: #fff4d1; border: 1px solid #e0b94a; border-radius: 4px; padding: 6px 10px;
          font-size: 13px; margin: 8px 0; }
        .methods { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 14px;
          margin-top: 10px; }
        .method { border: 1px solid #d5d8de; border-radius: 6px; padding: 10px 12px; min-width: 0; }
        .parameters { font-size: 12px; color: #5a606b; margin: 2px 0 0; }
        .text { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 17px; line-height: 2.1; margin: 8px 0; }
        .w { padding: 3px 2px; border-radius: 3px; -webkit-box-decoration-break: clone; box-decoration-break: clone; }
        .legend { font-size: 11px; color: #5a606b; margin: 4px 0 10px; max-width: 260px; }
        .legend-bar { height: 10px; border: 1px solid #d5d8de; border-radius: 2px;
          background: \(ColorScale.legendGradient); }
        .legend-scale { display: flex; justify-content: space-between; font-variant-numeric: tabular-nums; }
        table.features { border-collapse: collapse; font-size: 13px; }
        table.features th { text-align: left; font-weight: 600; border-bottom: 1px solid #b9bec7; padding: 2px 8px; }
        table.features td { border-bottom: 1px solid #eceef2; padding: 2px 8px; }
        td.contribution { text-align: right; font-variant-numeric: tabular-nums; }
        .position { color: #6b717c; font-size: 11px; }
        footer { margin-top: 24px; border-top: 1px solid #d5d8de; padding-top: 8px; font-size: 12px; color: #5a606b; }
        footer p { margin: 2px 0; }
        footer code { white-space: pre-wrap; overflow-wrap: anywhere; color: #1b1b1f; }
        """
}
