"""Bar charts on screen with QtCharts (PySide6-Addons), from the same chart data the reports print
(:class:`services.statistics.charts.BarChart`).

QtCharts is imported here directly: the Qt shim (ui/qt.py) does not list it yet.
"""

from __future__ import annotations

import math

from PySide6 import QtCharts

from baihe_desk.services.statistics.charts import BarChart, nice_max, value_text
from baihe_desk.ui.common.qt import QSize, Qt, QtGui, QWidget
from baihe_desk.ui.common.widgets import named


def chart_view(spec: BarChart, name: str, *, stacked: bool = False, parent: QWidget | None = None) -> QtCharts.QChartView:
    """A chart view for ``spec`` (values over the bars; None drawn as 0 and labelled —)."""
    view = named(QtCharts.QChartView(parent), name, spec.title)
    view.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    view.setMinimumSize(QSize(360, 260))
    set_chart(view, spec, stacked=stacked)
    return view


def set_chart(view: QtCharts.QChartView, spec: BarChart, *, stacked: bool = False) -> None:
    chart = QtCharts.QChart()
    chart.setTitle(spec.title)
    font = chart.titleFont()
    font.setPointSize(font.pointSize() + 2)
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setAnimationOptions(QtCharts.QChart.AnimationOption.NoAnimation)
    series = QtCharts.QStackedBarSeries() if stacked else QtCharts.QBarSeries()
    top = 0.0
    for s in spec.series:
        bar = QtCharts.QBarSet(s.name)
        bar.setColor(QtGui.QColor(s.color))
        bar.setBorderColor(QtGui.QColor(s.color))
        bar.setLabelColor(QtGui.QColor("#ffffff" if stacked else "#1f2328"))
        for v in s.values:
            value = 0.0 if v is None else (v * 100 if spec.percent else float(v))
            bar.append(value)
            top = max(top, value)
        series.append(bar)
    if stacked:
        top = max((sum((s.values[i] or 0) for s in spec.series) for i in range(len(spec.categories))), default=0)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QtCharts.QAbstractBarSeries.LabelsPosition.LabelsCenter if stacked
                             else QtCharts.QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setLabelsFormat("@value%" if spec.percent else "@value")
    series.setLabelsPrecision(3)
    chart.addSeries(series)
    axis_x = QtCharts.QBarCategoryAxis()
    axis_x.append(list(spec.categories) or [""])
    chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis_x)
    axis_y = QtCharts.QValueAxis()
    axis_y.setLabelFormat("%.0f%%" if spec.percent else "%d")
    if spec.percent:
        upper, step = 100.0, 20.0
    else:  # whole numbers of cases: an integer step, room above the highest bar for its label
        _, step = nice_max(max(top * 1.15, 1.0))
        step = float(max(1, math.ceil(step)))
        upper = step * max(1, math.ceil(top * 1.15 / step))
    axis_y.setRange(0, upper)
    axis_y.setTickCount(int(round(upper / step)) + 1)
    chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis_y)
    chart.legend().setVisible(len(spec.series) > 1 or bool(spec.series and spec.series[0].name))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
    old = view.chart()
    view.setChart(chart)
    if old is not None and old is not chart:
        old.deleteLater()
    view.setToolTip("；".join(
        f"{cat}：" + "，".join(f"{s.name} {value_text(s.values[i] if i < len(s.values) else None, spec.percent)}"
                              for s in spec.series) for i, cat in enumerate(spec.categories)))
