// SPDX-License-Identifier: GPL-3.0-or-later
#include "timeline_item.h"

#include "analysis/run_analysis.h"
#include "style/palette.h"
#include "timeline_tooltip.h"

#include <QGraphicsSceneHoverEvent>
#include <QPainter>
#include <QtCharts/QChart>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
// Past this many bars in view, rows of 100 lanes and more come from the summary even when its
// buckets are wider than a pixel (the view then says how wide).
constexpr double kExactBars = 200'000;

// The worse of what a pixel holds and a new outcome, in place.
void keepWorst(std::uint8_t &cell, OutcomeCategory c)
{
    cell = TimelineSummary::worse(cell, TimelineSummary::code(c));
}
} // namespace

int TimelineItem::Frame::pixel(double us) const
{
    return int(std::clamp((us - x0) / usPerPixel, 0.0, double(width - 1)));
}

TimelineItem::TimelineItem(QChart *chart, QValueAxis *x, QValueAxis *y)
    : QGraphicsObject(chart)
    , m_chart(chart)
    , m_x(x)
    , m_y(y)
{
    setAcceptHoverEvents(true);
    setZValue(10);
    const auto redraw = [this] {
        prepareGeometryChange();
        update();
    };
    connect(chart, &QChart::plotAreaChanged, this, redraw);
    connect(x, &QValueAxis::rangeChanged, this, redraw);
    connect(y, &QValueAxis::rangeChanged, this, redraw);
}

void TimelineItem::setAnalysis(const RunAnalysis *analysis)
{
    m_analysis = analysis;
    update();
}

void TimelineItem::setBy(TimelineLanes::By by)
{
    m_by = by;
    update();
}

QRectF TimelineItem::boundingRect() const
{
    return m_chart->plotArea();
}

std::optional<TimelineItem::Frame> TimelineItem::frame() const
{
    if (!m_analysis)
        return std::nullopt;
    Frame f;
    f.lanes = &m_analysis->timeline(m_by);
    f.plot = m_chart->plotArea();
    f.x0 = m_x->min() * 1e6;
    f.x1 = m_x->max() * 1e6;
    f.y0 = m_y->min();
    f.y1 = m_y->max();
    if (f.x1 <= f.x0 || f.y1 <= f.y0 || f.plot.width() < 2 || f.plot.height() < 1 ||
        f.lanes->lanes() == 0)
        return std::nullopt;
    f.width = int(f.plot.width());
    f.laneHeight = f.plot.height() / (f.y1 - f.y0);
    f.usPerPixel = (f.x1 - f.x0) / f.plot.width();
    // Lanes merge until a row is at least 3 pixels high, in 1-2-5 steps the axis can name.
    f.layout.lanesPerRow =
        TimelineSummary::niceRowSize(int(std::min(1e9, std::ceil(3.0 / f.laneHeight))));
    f.layout.waits = f.layout.lanesPerRow == 1 && f.laneHeight >= 5;
    const TimelineSummary &summary = f.lanes->summary();
    if (summary.levelFor(f.layout.lanesPerRow) > 0) {
        const double lanes = f.lanes->lanes();
        const double shown = std::clamp(f.y1, 0.0, lanes) - std::clamp(f.y0, 0.0, lanes);
        const double bars = shown * double(f.lanes->bars()) / lanes;
        const bool coarse = double(summary.bucketUs()) > f.usPerPixel;
        if (!coarse || bars > kExactBars) {
            f.layout.fromSummary = true;
            f.layout.stepUs = coarse ? summary.bucketUs() : 0;
        }
    }
    return f;
}

TimelineItem::Layout TimelineItem::layout() const
{
    const auto f = frame();
    return f ? f->layout : Layout{};
}

void TimelineItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const auto f = frame();
    if (!f)
        return;
    const int firstLane = std::max(0, int(std::floor(f->y0)));
    const int lastLane = std::min(f->lanes->lanes(), int(std::ceil(f->y1))); // exclusive
    if (firstLane >= lastLane)
        return;
    const int firstRow = firstLane / f->layout.lanesPerRow * f->layout.lanesPerRow;
    painter->save();
    painter->setClipRect(f->plot);
    painter->setRenderHint(QPainter::Antialiasing, false);
    m_cells.assign(std::size_t(f->width), 0);
    if (f->layout.fromSummary)
        paintSummary(painter, *f, firstRow, lastLane);
    else
        paintBars(painter, *f, firstRow, lastLane);
    painter->restore();
}

void TimelineItem::paintBars(QPainter *painter, const Frame &f, int firstRow, int lastLane)
{
    const int perRow = f.layout.lanesPerRow;
    const bool drawWaits = f.layout.waits;
    // A lane of its own shows each attempt at least 3 pixels wide, so that a 20 ms attempt on a
    // 30 s axis still shows its colour; merged rows keep their exact pixels.
    const int minWidth = perRow == 1 ? 3 : 1;
    QPen waitPens[3];
    waitPens[int(DelaySource::Backoff)] = QPen(palette::color(palette::Role::WaitBackoff), 1);
    waitPens[int(DelaySource::Server)] =
        QPen(palette::color(palette::Role::WaitRetryAfter), 1.5, Qt::DashLine);
    waitPens[int(DelaySource::Breaker)] =
        QPen(palette::color(palette::Role::WaitBreaker), 1.5, Qt::DotLine);
    const auto at = [&](qint64 us) {
        return std::clamp(f.plot.left() + (double(us) - f.x0) / f.usPerPixel, f.plot.left() - 4,
                          f.plot.right() + 4);
    };
    for (int row = firstRow; row < lastLane; row += perRow) {
        std::fill(m_cells.begin(), m_cells.end(), 0);
        const double top = f.plot.top() + (row - f.y0) * f.laneHeight;
        for (int lane = row; lane < std::min(lastLane, row + perRow); ++lane) {
            for (const TimelineLanes::Bar &b : f.lanes->lane(lane)) {
                const qint64 from = drawWaits && b.waitFromUs >= 0 ? b.waitFromUs : b.startUs;
                if (b.endUs < f.x0 || from > f.x1)
                    continue;
                if (drawWaits && b.waitFromUs >= 0 && b.startUs > b.waitFromUs) {
                    const double wy = top + f.laneHeight / 2;
                    painter->setPen(waitPens[int(b.waitSource)]);
                    painter->drawLine(QPointF(at(b.waitFromUs), wy), QPointF(at(b.startUs), wy));
                }
                if (b.startUs > f.x1)
                    continue;
                const int first = f.pixel(double(b.startUs));
                const int last =
                    std::min(f.width - 1, std::max(first + minWidth - 1, f.pixel(double(b.endUs))));
                for (int px = first; px <= last; ++px)
                    keepWorst(m_cells[std::size_t(px)], b.category);
            }
        }
        fillRow(painter, f, top);
    }
}

void TimelineItem::paintSummary(QPainter *painter, const Frame &f, int firstRow, int lastLane)
{
    const TimelineSummary &summary = f.lanes->summary();
    const int perRow = f.layout.lanesPerRow;
    const int level = summary.levelFor(perRow);
    const double bucketUs = double(summary.bucketUs());
    const auto bucket = [&](double us) {
        return int(std::clamp(us / bucketUs, 0.0, double(TimelineSummary::kBuckets)));
    };
    const int fromBucket = bucket(f.x0);
    const int toBucket = bucket(f.x1);
    for (int row = firstRow; row < lastLane; row += perRow) {
        std::fill(m_cells.begin(), m_cells.end(), 0);
        summary.forEachCell(level, row / level, fromBucket, toBucket,
                            [&](int b, OutcomeCategory c) {
                                const int first = f.pixel(b * bucketUs);
                                const int last = std::max(first, f.pixel((b + 1) * bucketUs - 1));
                                for (int px = first; px <= last; ++px)
                                    keepWorst(m_cells[std::size_t(px)], c);
                            });
        fillRow(painter, f, f.plot.top() + (row - f.y0) * f.laneHeight);
    }
}

void TimelineItem::fillRow(QPainter *painter, const Frame &f, double top)
{
    const double rowHeight = f.laneHeight * f.layout.lanesPerRow;
    const double barTop = top + rowHeight * 0.15;
    const double barHeight = std::max(1.0, rowHeight * 0.7);
    // Runs of one colour become one rectangle.
    for (int px = 0; px < f.width;) {
        const std::uint8_t code = m_cells[std::size_t(px)];
        int end = px + 1;
        while (end < f.width && m_cells[std::size_t(end)] == code)
            ++end;
        if (code != 0)
            painter->fillRect(QRectF(f.plot.left() + px, barTop, end - px, barHeight),
                              palette::category(OutcomeCategory(code - 1)));
        px = end;
    }
}

QString TimelineItem::describeAt(const QPointF &pos) const
{
    const auto f = frame();
    if (!f || !f->plot.contains(pos))
        return {};
    const double us = f->x0 + (pos.x() - f->plot.left()) * f->usPerPixel;
    const int lane = int(std::floor(f->y0 + (pos.y() - f->plot.top()) / f->laneHeight));
    if (lane < 0 || lane >= f->lanes->lanes())
        return {};
    const double slack = 3 * f->usPerPixel; // 3 pixels
    const int perRow = f->layout.lanesPerRow;
    if (perRow == 1) {
        for (const TimelineLanes::Bar &b : f->lanes->lane(lane))
            if (us >= double(b.startUs) - slack && us <= double(b.endUs) + slack)
                return TimelineTooltip::attempt(m_analysis->log(), m_analysis->log().at(b.record));
        return {};
    }
    // A row of merged lanes: which lanes, and the worst outcome under the pointer.
    const int first = lane / perRow * perRow;
    const int last = std::min(f->lanes->lanes(), first + perRow) - 1;
    const auto from = qint64(std::max(0.0, us - slack));
    const auto to = qint64(std::max(0.0, us + slack));
    std::optional<OutcomeCategory> worst;
    if (f->layout.fromSummary) {
        const TimelineSummary &summary = f->lanes->summary();
        const int level = summary.levelFor(perRow);
        worst = summary.worst(level, first / level, from, to);
    } else {
        std::uint8_t cell = 0;
        for (int l = first; l <= last; ++l)
            for (const TimelineLanes::Bar &b : f->lanes->lane(l))
                if (b.startUs <= to && b.endUs >= from)
                    keepWorst(cell, b.category);
        if (cell)
            worst = OutcomeCategory(cell - 1);
    }
    return TimelineTooltip::mergedRow(m_by, first, last, from, to, worst);
}

void TimelineItem::hoverMoveEvent(QGraphicsSceneHoverEvent *event)
{
    setToolTip(describeAt(event->pos()));
}

} // namespace retrylab
