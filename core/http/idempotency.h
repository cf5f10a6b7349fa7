// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "base/random_source.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace retrylab {

// RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT and DELETE are idempotent.
bool isIdempotentMethod(QByteArrayView method);

// A version-4 UUID drawn from the seeded source, so a seeded run reproduces its keys.
QString makeIdempotencyKey(RandomSource &rng);

enum class IdempotencyKeySyntax {
    Quoted, // IETF draft: a structured-field string, "8e03978e-..."
    Bare,   // Stripe: the token as is, up to 255 characters
};

// The header value for a key in the given syntax.
QByteArray formatIdempotencyKey(const QString &key, IdempotencyKeySyntax syntax);

struct IdempotencyKeyReading {
    std::optional<QString> key;
    IdempotencyKeySyntax syntax = IdempotencyKeySyntax::Bare;
    QString error;
};

// Reads an Idempotency-Key field in either syntax.
IdempotencyKeyReading parseIdempotencyKey(QByteArrayView value);

} // namespace retrylab
