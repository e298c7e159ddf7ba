import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Query parameters of a coverage report; `from`/`to` are parsed strictly by the service. */
export class CoverageQueryDto {
  @ApiProperty({
    type: String,
    description:
      'Start of the range (inclusive), ISO-8601. A date alone is the start of that UTC day; no offset means UTC. ' +
      'A report spans at most 366 days.',
    example: '2025-07-01',
  })
  @IsString()
  @MaxLength(64)
  from!: string;

  @ApiProperty({
    type: String,
    required: false,
    description: 'End of the range (inclusive), ISO-8601. A date alone covers that whole UTC day. Defaults to now.',
    example: '2025-07-31',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  to?: string;
}
