/**
 * Letter pairs common inside English words and code identifiers, derived from
 * the estimator's calibration corpus by bench/estimator/derive_bigrams.ts:
 * do not edit by hand.
 *
 * @module
 */

const PAIRS =
  "ab ac ad af ag ai ak al am an ap ar as at au av aw ax ay az ba bc be bi bj bl bo br bs bu by ca cc ce ch ci ck cl cm co cr ct cu cy da dd de df di dl do dr ds dt du dy ea eb ec ed ee ef eg eh ei el em en eo ep eq er es et ev ew ex ey fa fe ff fi fl fo fr fs ft fu fy ga gc ge gh gi gl gn go gp gr gs gt gu gv ha he hi ho hr ht hu hy ia ib ic id ie if ig ii ik il im in io ip ir is it iv ix iz je jo js ju ka kd ke ki kn ks la ld le lf li ll lm ln lo lp lr ls lt lu lv lw ly ma mb mc md me mi ml mm mo mp mr ms mt mu na nb nc nd ne nf ng ni nk nl nn no np nr ns nt nu nv ny oa ob oc od oe of og oi ok ol om on oo op or os ot ou ov ow oy pa pd pe pf ph pi pl pm po pp pr ps pt pu py qu ra rb rc rd re rf rg ri rk rl rm rn ro rp rr rs rt ru rv rw ry sa sc sd se sf sg sh si sk sl sn so sp sr ss st su sw sy ta tb tc td te tf th ti tl tm to tp tr ts tt tu tw tx ty ua ub uc ud ue uf ug ui ul um un up ur us ut ux va ve vi vo wa wd we wh wi wn wo wr ws xa xc xe xi xp xt xx yc ye yi ym yn yo yp yr ys yt ze";

/** 1 where `(a - 97) * 26 + (b - 97)` is a common pair of lower-case letters. */
export const COMMON_BIGRAMS: Uint8Array = new Uint8Array(26 * 26);
for (const pair of PAIRS.split(" ")) {
  COMMON_BIGRAMS[(pair.charCodeAt(0) - 97) * 26 + pair.charCodeAt(1) - 97] = 1;
}
