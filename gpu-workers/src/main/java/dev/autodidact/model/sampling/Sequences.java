package dev.autodidact.model.sampling;

import dev.autodidact.model.CharTokenizer;
import dev.autodidact.model.SampleRequest;
import java.util.Arrays;

/**
 * How every engine turns prompts and completions into the sequences its model sees, so that
 * engines fed the same weights agree token for token (see {@code RolloutEngine}).
 */
public final class Sequences {
  private Sequences() {}

  /**
   * The prompt without BOS: the model always conditions on BOS + prompt, and a prompt that
   * already starts with BOS is the same prompt.
   */
  public static int[] promptBody(int[] prompt) {
    return prompt.length > 0 && prompt[0] == CharTokenizer.BOS
        ? Arrays.copyOfRange(prompt, 1, prompt.length)
        : prompt;
  }

  /**
   * The model input for sampling: BOS + prompt, losing prompt tokens from the left when it
   * would not leave one position to generate from.
   */
  public static int[] modelInput(int[] fullPrompt, int contextLength) {
    int[] prompt = promptBody(fullPrompt);
    int kept = Math.min(prompt.length, contextLength - 1);
    int[] input = new int[kept + 1];
    input[0] = CharTokenizer.BOS;
    System.arraycopy(prompt, prompt.length - kept, input, 1, kept);
    return input;
  }

  /**
   * Tokens a request may generate after its {@code inputLength}-token model input: the whole
   * sequence may hold {@code contextLength + 1} tokens, since the last one is never fed back.
   */
  public static int budget(SampleRequest request, int inputLength, int contextLength) {
    return Math.max(0, Math.min(request.maxNewTokens(), contextLength + 1 - inputLength));
  }

  /**
   * BOS + prompt + completion for teacher-forced scoring; the prompt loses tokens from the left
   * to fit the context. The completion's tokens are the last {@code completion.length}.
   *
   * @throws IllegalArgumentException if the completion alone does not fit the context
   */
  public static int[] scored(int[] fullPrompt, int[] completion, int contextLength) {
    int[] prompt = promptBody(fullPrompt);
    if (completion.length > contextLength) {
      throw new IllegalArgumentException(
          "completion of " + completion.length + " tokens does not fit context " + contextLength);
    }
    int kept = Math.min(prompt.length, contextLength - completion.length);
    int[] tokens = new int[1 + kept + completion.length];
    tokens[0] = CharTokenizer.BOS;
    System.arraycopy(prompt, prompt.length - kept, tokens, 1, kept);
    System.arraycopy(completion, 0, tokens, 1 + kept, completion.length);
    return tokens;
  }
}
