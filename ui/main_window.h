// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class QTabWidget;

namespace retrylab {

class PolicyEditor;

// The top-level window. It only creates the pages and wires them together.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);

    PolicyEditor *policyEditor() const { return m_policyEditor; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void showAbout();

    QTabWidget *m_pages = nullptr;
    PolicyEditor *m_policyEditor = nullptr;
};

} // namespace retrylab
