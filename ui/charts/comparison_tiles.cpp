// SPDX-License-Identifier: GPL-3.0-or-later
#include "comparison_tiles.h"

#include "breaker_chart.h"
#include "compliance_chart.h"
#include "jitter_chart.h"
#include "load_chart.h"
#include "timeline_chart.h"

#include <QGridLayout>
#include <QGroupBox>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace retrylab {

namespace {
ChartPanel *createPanel(ChartKind kind)
{
    switch (kind) {
    case ChartKind::ServerLoad:
        return new LoadChart;
    case ChartKind::Waits:
        return new JitterChart;
    case ChartKind::Timeline:
        return new TimelineChart;
    case ChartKind::Breakers:
        return new BreakerChart;
    case ChartKind::Compliance:
        return new ComplianceChart;
    }
    return new LoadChart;
}
} // namespace

ComparisonTiles::ComparisonTiles(QWidget *parent)
    : QWidget(parent)
{
    m_grid = new QGridLayout(this);
    m_grid->setContentsMargins(0, 0, 0, 0);
}

ComparisonTiles::~ComparisonTiles()
{
    clear();
}

void ComparisonTiles::clear()
{
    for (ChartPanel *p : std::as_const(m_panels))
        p->refresh(nullptr);
}

void ComparisonTiles::setKind(ChartKind kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    rebuild(0); // made again, of the new kind, by the next refresh
}

void ComparisonTiles::rebuild(int count)
{
    clear();
    qDeleteAll(m_frames);
    m_frames.clear();
    m_panels.clear();
    // Up to three side by side, four in a 2 × 2 grid: a row keeps each tile the full height,
    // so its axes survive a 720-pixel screen.
    const int columns = count <= 3 ? std::max(count, 1) : 2;
    for (int i = 0; i < count; ++i) {
        auto *frame = new QGroupBox;
        auto *inner = new QVBoxLayout(frame);
        inner->setContentsMargins(2, 2, 2, 2);
        ChartPanel *panel = createPanel(m_kind);
        // Three tiles and the server dock fit a 1280-pixel screen with room to spare: at 300
        // wide, three tiles asked for 991 pixels and a 1280 x 720 window grew past the screen.
        panel->setMinimumSize(240, 200);
        inner->addWidget(panel);
        m_grid->addWidget(frame, i / columns, i % columns);
        m_frames << frame;
        m_panels << panel;
    }
}

void ComparisonTiles::refresh(const QList<Tile> &tiles, double commonEnd)
{
    if (tiles.size() != m_panels.size())
        rebuild(int(tiles.size()));
    for (qsizetype i = 0; i < tiles.size(); ++i) {
        auto *frame = static_cast<QGroupBox *>(m_frames[i]);
        frame->setTitle(tiles[i].name);
        frame->setStyleSheet(
            u"QGroupBox { border: 2px solid %1; margin-top: 1.2em; }"
            "QGroupBox::title { color: %1; subcontrol-origin: margin; left: 8px; }"_s.arg(
                tiles[i].color.name()));
        if (auto *load = qobject_cast<LoadChart *>(m_panels[i])) {
            load->setHeading(tiles[i].name);
            load->setCommonEnd(commonEnd);
        }
        m_panels[i]->refresh(tiles[i].analysis);
    }
}

} // namespace retrylab
