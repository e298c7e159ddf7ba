export { type Problem, ProblemDetailsFilter, problem, sendProblem } from './problem-details';
export { ProblemExpressAdapter } from './problem-express-adapter';
export { securityHeaders } from './security-headers';
