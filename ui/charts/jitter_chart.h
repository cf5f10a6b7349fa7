// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "chart_panel.h"
#include "policy/retry_policy.h"

class QComboBox;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace retrylab {

struct DelayHistogram;

// A histogram of the waits before retries, per retry number, with the strategy's theoretical
// distribution overlaid and the Kolmogorov–Smirnov fit. Shows a run's measured waits, or, with
// no network at all, thousands of draws from the policy being edited.
class JitterChart : public ChartPanel
{
    Q_OBJECT
public:
    explicit JitterChart(QWidget *parent = nullptr);
    void refresh(const RunAnalysis *analysis) override;
    void followEmptyLink(const QString &link) override;
    // The policy being edited: what the preview samples.
    void setPreviewPolicy(const RetryPolicy &policy);
    void setShowPreview(bool preview);
    bool showsPreview() const;
    void setRetry(int retry); // 0: every retry number pooled

    QList<QPointF> theoryPoints() const; // the expected counts, as drawn
    qint64 histogramTotal() const { return m_total; }
    QString fitText() const;

private:
    void show(const DelayHistogram &h, const QString &what);
    void fillRetries(int maxRetry);

    QChart *m_chart = nullptr;
    QComboBox *m_source = nullptr;
    QComboBox *m_retry = nullptr;
    QLabel *m_fit = nullptr;
    QLineSeries *m_measured = nullptr;
    QLineSeries *m_zero = nullptr;
    QLineSeries *m_theory = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    RetryPolicy m_preview;
    qint64 m_total = 0;
};

} // namespace retrylab
