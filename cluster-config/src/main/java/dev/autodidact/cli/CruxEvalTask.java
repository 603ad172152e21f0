package dev.autodidact.cli;

/**
 * A CRUXEval task (Gu et al., 2024): a Python function {@code f}, an argument list and the
 * value {@code f} returns for it.
 *
 * @param id     {@code sample_N}
 * @param input  the arguments as Python source, as written inside the call's parentheses
 * @param output the value as Python source
 */
record CruxEvalTask(String id, String code, String input, String output) {}
