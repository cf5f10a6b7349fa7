// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/duration.h"

#include <QDateTime>

#include <functional>

class QObject;

namespace retrylab {

// Where the socket server takes its time from: the steady clock and QTimer in real use; a test
// substitutes time it moves itself, to put the socket server and the simulation side by side.
class MockTime
{
public:
    virtual ~MockTime() = default;
    virtual Duration now() const = 0; // monotonic
    virtual QDateTime wall() const = 0;
    // Runs `fn` after `delay`, unless `context` is gone by then.
    virtual void after(Duration delay, QObject *context, std::function<void()> fn) = 0;
};

} // namespace retrylab
