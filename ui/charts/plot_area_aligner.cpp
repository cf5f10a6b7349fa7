// SPDX-License-Identifier: GPL-3.0-or-later
#include "plot_area_aligner.h"

#include <QEvent>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>

#include <algorithm>

namespace retrylab {

PlotAreaAligner::PlotAreaAligner(QObject *parent)
    : QObject(parent)
{
    // Zero interval: runs once the charts' own layouts (posted events) have been done.
    m_pinSoon.setSingleShot(true);
    m_pinSoon.setInterval(0);
    connect(&m_pinSoon, &QTimer::timeout, this, &PlotAreaAligner::pin);
}

void PlotAreaAligner::add(QChartView *view)
{
    QChart *chart = view->chart();
    m_charts << chart;
    m_margins << chart->margins();
    view->installEventFilter(this);
    connect(chart, &QChart::plotAreaChanged, this, [this] {
        if (!m_pinned)
            m_pinSoon.start();
    });
}

void PlotAreaAligner::realign()
{
    m_pinned = false;
    for (qsizetype i = 0; i < m_charts.size(); ++i)
        m_charts[i]->setMargins(m_margins[i]); // back to the chart's own layout
    m_pinSoon.start();
}

bool PlotAreaAligner::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize)
        realign();
    return QObject::eventFilter(watched, event);
}

void PlotAreaAligner::pin()
{
    if (m_pinned || m_charts.size() < 2)
        return;
    qreal left = 0;
    qreal right = 0;
    bool first = true;
    for (QChart *chart : std::as_const(m_charts)) {
        const QRectF area = chart->plotArea();
        if (area.width() <= 0)
            return; // not laid out yet; its plotAreaChanged brings us back
        left = first ? area.left() : std::max(left, area.left());
        right = first ? area.right() : std::min(right, area.right());
        first = false;
    }
    if (right <= left)
        return;
    // Wider margins rather than QChart::setPlotArea: a fixed plot area leaves the axes where the
    // chart's own layout put them (Qt 6.4), and would not follow a resize.
    m_pinned = true;
    for (qsizetype i = 0; i < m_charts.size(); ++i) {
        const QRectF area = m_charts[i]->plotArea();
        QMargins m = m_margins[i];
        m.setLeft(m.left() + qRound(left - area.left()));
        m.setRight(m.right() + qRound(area.right() - right));
        m_charts[i]->setMargins(m);
    }
}

} // namespace retrylab
