// Generated from src/backend/op_table.ts by `npm run gen:ops`: do not edit by hand.
// An op's code is its position; the TypeScript sides look codes up by kernel name in that file.
#pragma once

enum BinaryOp {
  ADD = 0,  // Add
  SUB = 1,  // Sub
  MUL = 2,  // Multiply
  DIV = 3,  // RealDiv
  MAXIMUM = 4,  // Maximum
  MINIMUM = 5,  // Minimum
  POW = 6,  // Pow
  SQDIFF = 7,  // SquaredDifference
  EQUAL = 8,  // Equal
  GREATER = 9,  // Greater
  GREATER_EQUAL = 10,  // GreaterEqual
  LESS = 11,  // Less
  LESS_EQUAL = 12,  // LessEqual
};

enum UnaryOp {
  NEG = 0,  // Neg
  EXP = 1,  // Exp
  LOG = 2,  // Log
  SQRT = 3,  // Sqrt
  SQUARE = 4,  // Square
  ABS = 5,  // Abs
  SIGMOID = 6,  // Sigmoid
  RELU = 7,  // Relu
  TANH = 8,  // Tanh
  STEP = 9,  // Step
  RSQRT = 10,  // Rsqrt
  RECIPROCAL = 11,  // Reciprocal
  LOG1P = 12,  // Log1p
  RELU6 = 13,  // Relu6
  ELU = 14,  // Elu
  SOFTPLUS = 15,  // Softplus
  SIGN = 16,  // Sign
  FLOOR = 17,  // Floor
};

enum ReduceOp {
  R_SUM = 0,  // Sum
  R_MAX = 1,  // Max
  R_MIN = 2,  // Min
  R_MEAN = 3,  // Mean
  R_PROD = 4,  // Prod
};

enum Activation {
  ACT_LINEAR = 0,  // linear
  ACT_RELU = 1,  // relu
  ACT_RELU6 = 2,  // relu6
  ACT_ELU = 3,  // elu
  ACT_SIGMOID = 4,  // sigmoid
  ACT_LEAKYRELU = 5,  // leakyrelu
};

enum FillMode {
  FILL_REFLECT = 0,  // reflect
  FILL_WRAP = 1,  // wrap
  FILL_CONSTANT = 2,  // constant
  FILL_NEAREST = 3,  // nearest
};

#define OP_TABLE_BinaryOp(X) X(ADD) X(SUB) X(MUL) X(DIV) X(MAXIMUM) X(MINIMUM) X(POW) X(SQDIFF) X(EQUAL) X(GREATER) X(GREATER_EQUAL) X(LESS) X(LESS_EQUAL)
#define BinaryOp_LAST LESS_EQUAL
#define OP_TABLE_UnaryOp(X) X(NEG) X(EXP) X(LOG) X(SQRT) X(SQUARE) X(ABS) X(SIGMOID) X(RELU) X(TANH) X(STEP) X(RSQRT) X(RECIPROCAL) X(LOG1P) X(RELU6) X(ELU) X(SOFTPLUS) X(SIGN) X(FLOOR)
#define UnaryOp_LAST FLOOR
#define OP_TABLE_ReduceOp(X) X(R_SUM) X(R_MAX) X(R_MIN) X(R_MEAN) X(R_PROD)
#define ReduceOp_LAST R_PROD
#define OP_TABLE_Activation(X) X(ACT_LINEAR) X(ACT_RELU) X(ACT_RELU6) X(ACT_ELU) X(ACT_SIGMOID) X(ACT_LEAKYRELU)
#define Activation_LAST ACT_LEAKYRELU
#define OP_TABLE_FillMode(X) X(FILL_REFLECT) X(FILL_WRAP) X(FILL_CONSTANT) X(FILL_NEAREST)
#define FillMode_LAST FILL_NEAREST
