// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QGridLayout;

namespace retrylab {

class ChartPanel;
class RunAnalysis;

// The charts a comparison can show, one per run side by side.
enum class ChartKind { ServerLoad, Waits, Timeline, Breakers, Compliance };

// Comparison runs tiled: one chart of the chosen kind per policy, each framed in the policy's
// colour and named after it: up to three in a row, four in a 2 × 2 grid.
class ComparisonTiles : public QWidget
{
    Q_OBJECT
public:
    explicit ComparisonTiles(QWidget *parent = nullptr);
    ~ComparisonTiles() override;

    void setKind(ChartKind kind);
    ChartKind kind() const { return m_kind; }
    struct Tile {
        QString name;
        QColor color;
        const RunAnalysis *analysis = nullptr;
    };
    // Redraws the tiles; `commonEnd` (seconds) gives the server-load tiles one time range.
    void refresh(const QList<Tile> &tiles, double commonEnd);
    void clear(); // forget the analyses (before they go)
    QList<ChartPanel *> panels() const { return m_panels; }

private:
    void rebuild(int count);

    ChartKind m_kind = ChartKind::ServerLoad;
    QGridLayout *m_grid = nullptr;
    QList<QWidget *> m_frames;
    QList<ChartPanel *> m_panels;
};

} // namespace retrylab
