import { ApiProperty } from '@nestjs/swagger';

/** RFC 9457 problem details: the one error shape of this API. */
export class ProblemDto {
  @ApiProperty({
    type: String,
    description: 'URI reference naming the problem type',
    example: '/problems/invalid-query',
  })
  type!: string;

  @ApiProperty({ type: String, description: 'Short summary of the problem type', example: 'Invalid query' })
  title!: string;

  @ApiProperty({ type: 'integer', description: 'HTTP status code', example: 400 })
  status!: number;

  @ApiProperty({
    type: String,
    description: 'What went wrong with this request',
    example: "'to' must not be before 'from'",
  })
  detail!: string;

  @ApiProperty({
    type: [String],
    required: false,
    description: 'Every validation message, when the request failed validation',
    example: ['limit must not be greater than 5000'],
  })
  errors?: string[];
}
