/**
 * Plots for the lectures: Vega-Lite specs (shown by JupyterLab, rendered to SVG in Node with `toSVG`)
 * and the computation-graph drawing used by Graph and Value.
 */
export { toSVG } from "./render";
export { makePlot, JUPYTER_DISPLAY } from "./plot";
export type { Plot, PlotMimeBundle } from "./plot";
export type { TopLevelSpec } from "./vega";
export { lossCurve, accuracyCurve } from "./curves";
export { lineChart } from "./line-chart";
export type { LineChartOptions } from "./line-chart";
export type { LossCurveOptions, CurveOptions, LossHistory, AccuracyHistory } from "./curves";
export { scatter } from "./scatter";
export type { ScatterOptions } from "./scatter";
export { decisionBoundary } from "./decision-boundary";
export type { DecisionBoundaryOptions, Predictor } from "./decision-boundary";
export { gradientField, contourPlot } from "./gradient-field";
export type { GradientFieldOptions } from "./gradient-field";
export { contourSegments, contourLines } from "./marching-squares";
export { histogram } from "./histogram";
export type { HistogramOptions } from "./histogram";
export { heatmap } from "./heatmap";
export type { HeatmapOptions } from "./heatmap";
export { imageGrid, digitCaptions } from "./image-grid";
export type { ImageGridOptions } from "./image-grid";
export { renderGraphSVG, renderGraphDOT, formatValue } from "./graph-svg";
export type { GraphView, GraphViewNode, GraphViewEdge } from "./graph-svg";
export { layoutGraph } from "./graph-layout";
export { graphDrawing } from "./graph-geometry";
export type { GraphDrawing, NodeGeometry, EdgeGeometry, LabelGeometry } from "./graph-geometry";
