package dev.autodidact.core.world;

/** A parameter of {@code f}; its shape bounds the inputs drawn for it. */
record Parameter(String name, Shape shape) {}
