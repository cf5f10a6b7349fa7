// SPDX-License-Identifier: GPL-3.0-or-later
#include "client_timeline.h"

#include "style/palette.h"

#include <QPainter>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {

constexpr int kMostRows = 12; // the latest operations; older ones scroll out
constexpr int kLabelWidth = 170;

QColor answerColor(const JournalEntry &e)
{
    if (e.status == 0)
        return palette::color(palette::Role::Network);
    return palette::outcome(outcome::fromStatus(e.status), e.status);
}

QString answerText(const JournalEntry &e)
{
    return e.status == 0 ? e.decision : QString::number(e.status);
}

// A round step for the axis: 1, 2 or 5 times a power of ten, in ms.
double tickStep(double spanMs)
{
    const double rough = spanMs / 6;
    double step = std::pow(10.0, std::floor(std::log10(std::max(rough, 1.0))));
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (step * m >= rough)
            return step * m;
    return step * 10;
}

} // namespace

ClientTimeline::ClientTimeline(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(u"clientTimeline"_s);
    setMinimumHeight(160);
}

void ClientTimeline::setEntries(std::vector<JournalEntry> entries)
{
    m_rows.clear();
    for (auto &e : entries) {
        if (m_rows.empty() || m_rows.back().operation != e.chainOperation || e.chainAttempt == 1)
            m_rows.push_back({e.chainOperation, {}});
        m_rows.back().attempts.push_back(std::move(e));
    }
    if (m_rows.size() > kMostRows)
        m_rows.erase(m_rows.begin(), m_rows.end() - kMostRows);
    m_spanMs = 1000;
    for (const auto &r : m_rows) {
        const auto &first = r.attempts.front();
        const auto &last = r.attempts.back();
        m_spanMs = std::max(m_spanMs, toMs(last.at + last.latency - first.at));
        if (last.allowedBackAt)
            m_spanMs = std::max(m_spanMs, toMs(*last.allowedBackAt - first.at));
    }
    m_spanMs *= 1.08; // room for the last label
    update();
}

void ClientTimeline::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor text = palette().color(QPalette::WindowText);
    const QColor grid = palette::color(palette::Role::Neutral);
    const QRectF area(kLabelWidth, 8, width() - kLabelWidth - 12, height() - 36);
    if (m_rows.empty()) {
        p.setPen(text);
        p.drawText(rect(), Qt::AlignCenter, tr("Select a client to see its attempts."));
        return;
    }
    const auto x = [&](double ms) {
        return area.left() + area.width() * ms / m_spanMs;
    };
    const double rowHeight = area.height() / double(m_rows.size());
    // The axis: seconds since each operation's first attempt.
    const double step = tickStep(m_spanMs);
    p.setPen(QPen(grid, 0.5, Qt::DotLine));
    for (double t = 0; t <= m_spanMs; t += step) {
        p.drawLine(QPointF(x(t), area.top()), QPointF(x(t), area.bottom()));
        p.drawText(QRectF(x(t) - 40, area.bottom() + 4, 80, 16), Qt::AlignHCenter,
                   step >= 1000 ? u"%1 s"_s.arg(t / 1000) : u"%1 ms"_s.arg(t));
    }
    const QFontMetrics fm(font());
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const Row &row = m_rows[i];
        const double y = area.top() + rowHeight * (double(i) + 0.5);
        p.setPen(text);
        p.drawText(QRectF(4, y - 9, kLabelWidth - 10, 18), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(row.operation, Qt::ElideMiddle, kLabelWidth - 10));
        p.setPen(QPen(grid, 1));
        const Duration t0 = row.attempts.front().at;
        const auto &last = row.attempts.back();
        p.drawLine(QPointF(x(0), y), QPointF(x(toMs(last.at - t0)), y));
        double labelEnd = -1e9; // where the last label ended: a close one goes below
        for (const JournalEntry &e : row.attempts) {
            const double at = toMs(e.at - t0);
            if (e.allowedBackAt) { // the wait the answer asked for
                p.setPen(QPen(palette::color(palette::Role::WaitRetryAfter), 3, Qt::DashLine));
                p.drawLine(QPointF(x(at), y + 7), QPointF(x(toMs(*e.allowedBackAt - t0)), y + 7));
            }
            const QColor c = answerColor(e);
            p.setPen(QPen(c.darker(130), 1));
            p.setBrush(c);
            p.drawEllipse(QPointF(x(at), y), 5, 5);
            p.setPen(text);
            const QString label = answerText(e);
            const bool below = x(at) + 7 < labelEnd;
            p.drawText(QPointF(x(at) + 7, below ? y + 18 : y - 6), label);
            if (!below)
                labelEnd = x(at) + 7 + fm.horizontalAdvance(label) + 4;
        }
    }
}

} // namespace retrylab
