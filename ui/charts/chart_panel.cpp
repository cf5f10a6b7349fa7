// SPDX-License-Identifier: GPL-3.0-or-later
#include "chart_panel.h"

#include "base/atomic_file.h"
#include "chart_export.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPalette>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace retrylab {

ChartPanel::ChartPanel(const QString &title, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
{
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(4, 4, 4, 4);
    m_options = new QHBoxLayout;
    m_layout->addLayout(m_options);
    auto *exportButton = new QToolButton;
    exportButton->setObjectName(u"exportChart"_s);
    exportButton->setText(tr("Export…"));
    exportButton->setToolTip(tr("Save this chart as PNG or SVG"));
    connect(exportButton, &QToolButton::clicked, this, [this] {
        QString selected;
        const QString name = QFileDialog::getSaveFileName(
            this, tr("Export the chart"), fileNameFromTitle(m_title) + u".png"_s,
            tr("PNG image (*.png);;SVG drawing (*.svg)"), &selected);
        if (name.isEmpty())
            return;
        QString error;
        if (!exportImage(name, &error))
            QMessageBox::warning(this, tr("Not exported"), error);
    });
    m_options->addStretch(1);
    m_options->addWidget(exportButton);
    m_empty = new QLabel;
    m_empty->setObjectName(u"emptyMessage"_s);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setStyleSheet(u"QLabel#emptyMessage { background: palette(alternate-base); "
                           "border-left: 4px solid palette(highlight); padding: 6px 10px; }"_s);
    m_empty->hide();
    connect(m_empty, &QLabel::linkActivated, this,
            [this](const QString &link) { followEmptyLink(link); });
    m_layout->addWidget(m_empty);
}

void ChartPanel::setEmptyMessage(const QString &html)
{
    if (m_empty->text() != html)
        m_empty->setText(html);
    m_empty->setVisible(!html.isEmpty());
}

QString ChartPanel::emptyMessage() const
{
    return m_empty->isVisibleTo(this) ? m_empty->text() : QString();
}

void ChartPanel::addOption(QWidget *option)
{
    // A long count or verdict wraps rather than widening the window past a small screen, and
    // takes most of the row's room (with none, word wrap squeezes it into a narrow column).
    auto *label = qobject_cast<QLabel *>(option);
    if (label) {
        label->setWordWrap(true);
        label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    }
    m_options->insertWidget(m_options->count() - 2, option, label ? 4 : 0);
}

QChartView *ChartPanel::newChartView(QChart *chart)
{
    const bool dark = QPalette().color(QPalette::Window).lightness() < 128;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setAnimationOptions(QChart::NoAnimation); // live data: animations only lag
    chart->legend()->setAlignment(Qt::AlignBottom);
    auto *view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(480, 300);
    return view;
}

namespace {
// The smallest of 1, 2, 5 × 10^k that is at least `raw`.
double roundStep(double raw)
{
    const double power = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-9))));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= raw)
            return m * power;
    return 10 * power;
}
} // namespace

std::pair<QValueAxis *, QValueAxis *> ChartPanel::addAxes(QChart *chart, const QString &x,
                                                          const QString &y)
{
    auto *xAxis = new QValueAxis;
    xAxis->setTitleText(x);
    auto *yAxis = new QValueAxis;
    yAxis->setTitleText(y);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    for (QAbstractSeries *s : chart->series()) {
        s->attachAxis(xAxis);
        s->attachAxis(yAxis);
    }
    return {xAxis, yAxis};
}

void ChartPanel::setRangeAndInterval(QValueAxis *axis, double min, double max, double interval)
{
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    // A coarser interval first when zooming out, the narrower range first when zooming in.
    if (interval >= axis->tickInterval()) {
        axis->setTickInterval(interval);
        axis->setRange(min, max);
    } else {
        axis->setRange(min, max);
        axis->setTickInterval(interval);
    }
}

void ChartPanel::setCountRange(QValueAxis *axis, double max)
{
    const double step = std::max(1.0, roundStep(std::max(max, 1.0) / 5));
    axis->setLabelFormat(u"%d"_s);
    setRangeAndInterval(axis, 0, std::ceil(std::max(max, 1.0) / step) * step, step);
}

void ChartPanel::setRoundRange(QValueAxis *axis, double max)
{
    const double step = roundStep(std::max(max, 1e-6) / 6);
    axis->setLabelFormat(step >= 1 ? u"%.0f"_s : step >= 0.1 ? u"%.1f"_s : u"%.2f"_s);
    setRangeAndInterval(axis, 0, std::ceil(max / step - 1e-3) * step, step); // 100.01 stays 100
}

namespace {
double roundTickStep(double span, bool whole)
{
    const double step = roundStep(span / 6);
    return whole ? std::max(1.0, step) : step;
}

QString tickFormat(double step, bool whole)
{
    return whole || step >= 1 ? u"%.0f"_s : step >= 0.1 ? u"%.1f"_s : u"%.2f"_s;
}
} // namespace

void ChartPanel::setRoundTicks(QValueAxis *axis, bool whole)
{
    const double span = axis->max() - axis->min();
    if (span <= 0)
        return;
    const double step = roundTickStep(span, whole);
    axis->setLabelFormat(tickFormat(step, whole));
    setRangeAndInterval(axis, axis->min(), axis->max(), step);
}

void ChartPanel::setRoundView(QValueAxis *axis, double min, double max, bool whole)
{
    if (max <= min)
        return;
    const double step = roundTickStep(max - min, whole);
    axis->setLabelFormat(tickFormat(step, whole));
    setRangeAndInterval(axis, min, max, step);
}

void ChartPanel::setPicture(QWidget *picture)
{
    m_picture = picture;
    m_layout->addWidget(picture, 1);
}

bool ChartPanel::exportImage(const QString &fileName, QString *error)
{
    return saveChartImage(m_picture, fileName, m_title, error);
}

} // namespace retrylab
