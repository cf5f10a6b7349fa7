// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

namespace retrylab {

// "What am I looking at?": a short guide to the window and to the strategies, in plain words.
class HelpPage : public QDialog
{
    Q_OBJECT
public:
    explicit HelpPage(QWidget *parent = nullptr);
    static QString html();
};

} // namespace retrylab
