import { describe, expect, it } from "vitest";
import { linkifyMailText } from "./start-simulator";

describe("the demo mailbox", () => {
  it("makes a mail's links clickable, leaving trailing punctuation and everything else as escaped text", () => {
    expect(linkifyMailText("Confirm with this link (valid for 7 days):\nhttp://localhost:3000/subscribe/confirm?token=a.b&x=1.")).toBe(
      'Confirm with this link (valid for 7 days):\n<a href="http://localhost:3000/subscribe/confirm?token=a.b&#38;x=1">http://localhost:3000/subscribe/confirm?token=a.b&#38;x=1</a>.',
    );
    expect(linkifyMailText("Mirror page <https://srcwatch.example.org/mirrors/x>")).toBe(
      'Mirror page &#60;<a href="https://srcwatch.example.org/mirrors/x">https://srcwatch.example.org/mirrors/x</a>&#62;',
    );
  });

  it("never turns other schemes or markup into links", () => {
    expect(linkifyMailText('javascript:alert(1) <script>x</script> "http://a.example/"')).toBe(
      'javascript:alert(1) &#60;script&#62;x&#60;/script&#62; &#34;<a href="http://a.example/">http://a.example/</a>&#34;',
    );
  });
});
