// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QHBoxLayout;
class QLabel;
class QVBoxLayout;

#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>

namespace retrylab {

class RunAnalysis;
struct RunSummary;

// One chart page: a row of options and an export button above the chart itself. Pages draw
// only what the core's RunAnalysis holds; refresh() is called at a steady rate while the page
// is visible.
class ChartPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ChartPanel(const QString &title, QWidget *parent = nullptr);

    QString title() const { return m_title; }
    // Redraws from the analysis (nullptr: no run yet).
    virtual void refresh(const RunAnalysis *analysis) = 0;
    // The finished run's summary, for numbers only the end of a run knows (the server's own).
    virtual void setSummary(const RunSummary &) {}
    // What gets exported: the chart area without the option row.
    QWidget *picture() const { return m_picture; }
    bool exportImage(const QString &fileName, QString *error);
    // Why the chart shows nothing and what to do next, above the chart (empty: hidden).
    QString emptyMessage() const;

    // A chart view in the house style: antialiased, themed after the palette (light or dark).
    static QChartView *newChartView(QChart *chart);
    // A value axis at the bottom and one at the left, with these titles, attached to every
    // series the chart has now.
    static std::pair<QValueAxis *, QValueAxis *> addAxes(QChart *chart, const QString &x,
                                                         const QString &y);
    // A count axis from 0: whole-number ticks at a round interval, whatever the maximum.
    static void setCountRange(QValueAxis *axis, double max);
    // A time or value axis from 0 with round ticks (1, 2 or 5 times a power of ten).
    static void setRoundRange(QValueAxis *axis, double max);
    // Ticks at round numbers (1, 2, 5 × 10^k, whole numbers only when `whole`) for the axis'
    // range as it is now: for axes that zoom and pan.
    static void setRoundTicks(QValueAxis *axis, bool whole);
    // The range [min, max] with round ticks as setRoundTicks() chooses them, set in one go.
    static void setRoundView(QValueAxis *axis, double min, double max, bool whole);
    // Range and tick interval together, in the order that never has Qt Charts lay out more
    // ticks than either end state: it makes every tick's grid line and label as soon as either
    // changes, so a range of a million lanes with the old interval of 20 built 50,000 of them.
    static void setRangeAndInterval(QValueAxis *axis, double min, double max, double interval);

protected:
    void addOption(QWidget *option); // to the row above the chart, left to right
    // Rich text; its links call followEmptyLink() with their href.
    void setEmptyMessage(const QString &html);
    virtual void followEmptyLink(const QString &) {}
    void setPicture(QWidget *picture);
    const RunAnalysis *lastAnalysis() const { return m_last; }
    void remember(const RunAnalysis *analysis) { m_last = analysis; }

private:
    QString m_title;
    QHBoxLayout *m_options = nullptr;
    QVBoxLayout *m_layout = nullptr;
    QWidget *m_picture = nullptr;
    QLabel *m_empty = nullptr;
    const RunAnalysis *m_last = nullptr;
};

} // namespace retrylab
