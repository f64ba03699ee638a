#pragma once

#include "base/escape.h"

namespace portal::web {

// Escapes text for XML element content and attribute values (Atom feeds, Open311 XML).
using base::xmlEscape;

}  // namespace portal::web
