// SPDX-License-Identifier: GPL-3.0-or-later
#include "timeline_item.h"

#include "analysis/run_analysis.h"
#include "style/palette.h"

#include <QGraphicsSceneHoverEvent>
#include <QPainter>
#include <QtCharts/QChart>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
// Which outcome wins a pixel shared by several attempts: the rarer and worse, the higher.
int rank(OutcomeCategory c)
{
    switch (c) {
    case OutcomeCategory::Success:
        return 1;
    case OutcomeCategory::RejectedByBudget:
        return 2;
    case OutcomeCategory::RejectedByBreaker:
        return 3;
    case OutcomeCategory::ClientError:
    case OutcomeCategory::Other:
        return 4;
    case OutcomeCategory::TooManyRequests:
        return 5;
    case OutcomeCategory::Unavailable:
        return 6;
    case OutcomeCategory::OtherServerError:
        return 7;
    case OutcomeCategory::Refused:
        return 8;
    case OutcomeCategory::Reset:
        return 9;
    case OutcomeCategory::Timeout:
        return 10;
    }
    return 0;
}
} // namespace

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

void TimelineItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    if (!m_analysis)
        return;
    const TimelineLanes &t = m_analysis->timeline(m_by);
    const QRectF plot = m_chart->plotArea();
    const double x0 = m_x->min() * 1e6, x1 = m_x->max() * 1e6; // microseconds
    const double y0 = m_y->min(), y1 = m_y->max();
    if (x1 <= x0 || y1 <= y0 || plot.width() < 2 || t.lanes() == 0)
        return;
    const int width = int(plot.width());
    const int firstLane = std::max(0, int(std::floor(y0)));
    const int lastLane = std::min(t.lanes(), int(std::ceil(y1))); // exclusive
    const double laneHeight = plot.height() / (y1 - y0);
    // Merge lanes until a row is at least 3 pixels high.
    m_lanesPerRow = std::max(1, int(std::ceil(3.0 / laneHeight)));
    const double rowHeight = laneHeight * m_lanesPerRow;
    const double usPerPixel = (x1 - x0) / plot.width();

    painter->save();
    painter->setClipRect(plot);
    painter->setRenderHint(QPainter::Antialiasing, false);
    std::vector<std::uint8_t> cells(static_cast<std::size_t>(width));
    const bool drawWaits = m_lanesPerRow == 1 && laneHeight >= 5;
    QPen waitPens[3];
    waitPens[int(DelaySource::Backoff)] = QPen(palette::color(palette::Role::WaitBackoff), 1);
    waitPens[int(DelaySource::Server)] =
        QPen(palette::color(palette::Role::WaitRetryAfter), 1.5, Qt::DashLine);
    waitPens[int(DelaySource::Breaker)] =
        QPen(palette::color(palette::Role::WaitBreaker), 1.5, Qt::DotLine);

    const auto pixel = [&](double us) {
        return int(std::clamp((us - x0) / usPerPixel, 0.0, double(width - 1)));
    };
    const int firstRow = firstLane / m_lanesPerRow * m_lanesPerRow;
    for (int row = firstRow; row < lastLane; row += m_lanesPerRow) {
        std::fill(cells.begin(), cells.end(), 0);
        const double top = plot.top() + (row - y0) * laneHeight;
        const double barTop = top + rowHeight * 0.15;
        const double barHeight = std::max(1.0, rowHeight * 0.7);
        for (int lane = row; lane < std::min(lastLane, row + m_lanesPerRow); ++lane) {
            for (const TimelineLanes::Bar &b : t.lane(lane)) {
                const qint64 from = drawWaits && b.waitFromUs >= 0 ? b.waitFromUs : b.startUs;
                if (b.endUs < x0 || from > x1)
                    continue;
                if (drawWaits && b.waitFromUs >= 0 && b.startUs > b.waitFromUs) {
                    const double wy = top + rowHeight / 2;
                    painter->setPen(waitPens[int(b.waitSource)]);
                    const auto at = [&](qint64 us) {
                        return std::clamp(plot.left() + (double(us) - x0) / usPerPixel,
                                          plot.left() - 4, plot.right() + 4);
                    };
                    painter->drawLine(QPointF(at(b.waitFromUs), wy), QPointF(at(b.startUs), wy));
                }
                if (b.startUs > x1)
                    continue;
                const int first = pixel(double(b.startUs));
                const int last = std::max(first, pixel(double(b.endUs)));
                const auto code = std::uint8_t(int(b.category) + 1);
                for (int px = first; px <= last; ++px)
                    if (cells[std::size_t(px)] == 0 ||
                        rank(b.category) > rank(OutcomeCategory(cells[std::size_t(px)] - 1)))
                        cells[std::size_t(px)] = code;
            }
        }
        // Runs of one colour become one rectangle.
        for (int px = 0; px < width;) {
            const std::uint8_t code = cells[std::size_t(px)];
            int end = px + 1;
            while (end < width && cells[std::size_t(end)] == code)
                ++end;
            if (code != 0)
                painter->fillRect(QRectF(plot.left() + px, barTop, end - px, barHeight),
                                  palette::category(OutcomeCategory(code - 1)));
            px = end;
        }
    }
    painter->restore();
}

QString TimelineItem::describeAt(const QPointF &pos) const
{
    if (!m_analysis || m_lanesPerRow != 1)
        return {};
    const QRectF plot = m_chart->plotArea();
    if (!plot.contains(pos))
        return {};
    const double us =
        (m_x->min() + (pos.x() - plot.left()) / plot.width() * (m_x->max() - m_x->min())) * 1e6;
    const int lane = int(std::floor(m_y->min() + (pos.y() - plot.top()) / plot.height() *
                                                     (m_y->max() - m_y->min())));
    const TimelineLanes &t = m_analysis->timeline(m_by);
    if (lane < 0 || lane >= t.lanes())
        return {};
    const double slack = 3 * (m_x->max() - m_x->min()) * 1e6 / plot.width(); // 3 pixels
    for (const TimelineLanes::Bar &b : t.lane(lane)) {
        if (us < double(b.startUs) - slack || us > double(b.endUs) + slack)
            continue;
        return describe(m_analysis->log().at(b.record), t.laneTitle(lane));
    }
    return {};
}

QString TimelineItem::describe(const AttemptRecord &r, const QString &lane) const
{
    const AttemptLog &log = m_analysis->log();
    const auto ms = [](qint64 us) {
        return u"%1 ms"_s.arg(qRound64(double(us) / 1000.0));
    };
    const auto s = [](qint64 us) {
        return u"%1 s"_s.arg(QString::number(double(us) / 1e6, 'f', 3));
    };
    QStringList lines;
    lines << tr("%1 · client %2, operation %3, attempt %4")
                 .arg(lane)
                 .arg(r.client)
                 .arg(r.operation)
                 .arg(r.attempt);
    lines << tr("%1 %2").arg(log.string(r.method), log.string(r.url));
    lines << tr("Outcome: %1%2")
                 .arg(outcome::title(r.outcome), r.status ? u" (%1)"_s.arg(r.status) : QString());
    if (outcome::isLocalRejection(r.outcome))
        lines << tr("Refused at %1, never sent").arg(s(r.startedUs));
    else
        lines << tr("Sent at %1, answered after %2")
                     .arg(s(r.startedUs), ms(r.finishedUs - r.startedUs));
    if (r.plannedDelayUs >= 0)
        lines << tr("Waited %1 before it (%2, planned %3%4)")
                     .arg(ms(r.actualDelayUs), delaySourceId(r.delaySource), ms(r.plannedDelayUs),
                          r.shortened ? tr(", shortened to fit the budget") : QString());
    if (r.retryAfterUs >= 0)
        lines << tr("Told to wait %1 (Retry-After)").arg(ms(r.retryAfterUs));
    if (r.phases.known())
        lines << describePhases(r);
    lines << tr("Breaker: %1").arg(breakerStateId(r.breakerAtStart));
    if (r.idempotencyKey)
        lines << tr("Idempotency key: %1").arg(log.string(r.idempotencyKey));
    if (r.detail)
        lines << tr("Why: %1").arg(log.string(r.detail));
    if (r.lastOfOperation)
        lines << tr("Last attempt of the operation: %1").arg(stopReasonId(r.stop));
    return lines.join(u'\n');
}

QString TimelineItem::describePhases(const AttemptRecord &r)
{
    const PhaseTimings &p = r.phases;
    const std::pair<QString, qint32> phases[] = {
        {tr("blocked"), p.blockedUs}, {tr("DNS"), p.dnsUs},   {tr("connect"), p.connectUs},
        {tr("TLS"), p.tlsUs},         {tr("send"), p.sendUs}, {tr("wait"), p.waitUs},
        {tr("receive"), p.receiveUs}};
    QStringList parts;
    QString last;
    for (const auto &[name, us] : phases)
        if (us >= 0) {
            parts << u"%1 %2"_s.arg(name, formatDurationReadable(Duration(us)));
            last = name;
        }
    QString line = tr("On the wire: %1").arg(parts.join(u" · "_s));
    if (p.reused)
        line += tr(" (reused connection)");
    if (r.outcome == OutcomeClass::Timeout)
        line += tr("; timed out during %1").arg(last);
    return line;
}

void TimelineItem::hoverMoveEvent(QGraphicsSceneHoverEvent *event)
{
    setToolTip(describeAt(event->pos()));
}

} // namespace retrylab
