//go:build amd64 && !purego

#include "textflag.h"

// splitmix's constants: c0, c1, c1>>32, c2, c2>>32, and the sign bit
// (unsigned minima are taken as signed ones of the values with their sign
// bit flipped: AVX2 compares 64-bit integers only as signed).
DATA signConst<>+0(SB)/8, $0x9e3779b97f4a7c15
DATA signConst<>+8(SB)/8, $0xbf58476d1ce4e5b9
DATA signConst<>+16(SB)/8, $0x00000000bf58476d
DATA signConst<>+24(SB)/8, $0x94d049bb133111eb
DATA signConst<>+32(SB)/8, $0x0000000094d049bb
DATA signConst<>+40(SB)/8, $0x8000000000000000
GLOBL signConst<>(SB), RODATA|NOPTR, $48

// x = x * c, with c's low half in CLO's lanes and its high half in CHI's
// (t, u: scratch): x_lo*c_lo + (x_hi*c_lo + x_lo*c_hi)<<32.
#define MUL64(x, CLO, CHI, t, u) \
	VPSRLQ   $32, x, t   \
	VPMULUDQ CLO, t, t   \
	VPMULUDQ CHI, x, u   \
	VPADDQ   u, t, t     \
	VPSLLQ   $32, t, t   \
	VPMULUDQ CLO, x, x   \
	VPADDQ   t, x, x

// One row group: m = min(m, splitmix(s ^ seed)) in each lane, the minimum
// kept with its sign bit flipped. Y0: the shingle in every lane.
#define ROWS(seed, x, t, u, m) \
	VPXOR    seed, Y0, x    \
	VPADDQ   Y9, x, x       \
	VPSRLQ   $30, x, t      \
	VPXOR    t, x, x        \
	MUL64(x, Y10, Y11, t, u) \
	VPSRLQ   $27, x, t      \
	VPXOR    t, x, x        \
	MUL64(x, Y12, Y13, t, u) \
	VPSRLQ   $31, x, t      \
	VPXOR    t, x, x        \
	VPXOR    Y14, x, x      \
	VPCMPGTQ x, m, t        \
	VPBLENDVB t, x, m, m

// func signAVX2(shingles []uint64, seeds *[Bands * Rows]uint64, sig *Signature)
TEXT ·signAVX2(SB), NOSPLIT, $0-40
	MOVQ shingles_base+0(FP), SI
	MOVQ shingles_len+8(FP), CX
	MOVQ seeds+24(FP), DI
	MOVQ sig+32(FP), DX
	VPBROADCASTQ signConst<>+0(SB), Y9
	VPBROADCASTQ signConst<>+8(SB), Y10
	VPBROADCASTQ signConst<>+16(SB), Y11
	VPBROADCASTQ signConst<>+24(SB), Y12
	VPBROADCASTQ signConst<>+32(SB), Y13
	VPBROADCASTQ signConst<>+40(SB), Y14
	XORQ R8, R8

rows:
	// the minima start at the largest value: all ones, sign bit flipped
	VPCMPEQQ Y7, Y7, Y7
	VPXOR    Y14, Y7, Y7
	VMOVDQU  Y7, Y8
	VMOVDQU  (DI)(R8*8), Y15
	LEAQ     32(DI)(R8*8), R9
	MOVQ     SI, AX
	MOVQ     CX, BX

shingles:
	VPBROADCASTQ (AX), Y0
	ROWS(Y15, Y1, Y2, Y3, Y7)
	ROWS((R9), Y4, Y5, Y6, Y8)
	ADDQ $8, AX
	DECQ BX
	JNZ  shingles

	VPXOR   Y14, Y7, Y7
	VMOVDQU Y7, (DX)(R8*8)
	VPXOR   Y14, Y8, Y8
	VMOVDQU Y8, 32(DX)(R8*8)
	ADDQ    $8, R8
	CMPQ    R8, $120
	JLT     rows
	VZEROUPPER
	RET
