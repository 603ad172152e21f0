package dev.autodidact.core.world;

/** The Python types a generated value can have. */
enum ValueType {
  INT,
  BOOL,
  STR,
  INT_LIST,
  STR_LIST,
  TUPLE
}
