#!/usr/bin/env perl
# Reads the TAP of a sytest run and prints an "Are We Synapse Yet"-style summary: passed, failed,
# skipped and expected failures per area (Client-Server, Federation, Application Services) and in
# total; how many of the tests that need no federation pass; the tests that pass but are not on
# the whitelist; the whitelisted tests that did not pass. The last line is `N passed, M failed`,
# where M counts failures that were not expected (a test on the blacklist, or off the whitelist in
# a whitelist run, is an expected failure) plus whitelisted tests that were skipped.
# Exits 1 when a whitelisted test ran and did not pass.
#
# With --files (the test files that were run, one a line), a whitelisted test of those files that
# is missing from the TAP (the run broke off) counts as not passed.
#
# With --failed-files F, the files of the whitelisted tests that did not pass are written to F.
# With --add-passes, the tests that passed are added to the whitelist file (rewritten in sytest's
# order, grouped by file).
#
#   summarize.pl --tests tests.tsv --whitelist whitelist --blacklist blacklist [--files F]
#       [--failed-files F] [--add-passes] run.tap
use strict;
use warnings;
use Getopt::Long;

my ( $tests_file, $whitelist_file, $blacklist_file, $files_file, $add_passes, $failed_files );
GetOptions(
   'failed-files=s' => \$failed_files,
   'add-passes'  => \$add_passes,
   'tests=s'     => \$tests_file,
   'files=s'     => \$files_file,
   'whitelist=s' => \$whitelist_file,
   'blacklist=s' => \$blacklist_file,
) or die "usage: $0 --tests F --whitelist F --blacklist F TAP\n";
my $tap_file = shift // die "usage: $0 --tests F --whitelist F --blacklist F TAP\n";

sub read_names {
   my ( $file ) = @_;
   my %names;
   return \%names unless defined $file and -f $file;
   open my $fh, '<:encoding(UTF-8)', $file or die "$file: $!\n";
   while ( my $line = <$fh> ) {
      chomp $line;
      $line =~ s/#.*//;    # as run-tests.pl reads these files
      $line =~ s/^\s+|\s+$//g;
      $names{$line} = 1 if length $line;
   }
   return \%names;
}
# The whitelist is grouped under `# tests/<file>.pl` headers. sytest matches names alone, but a few
# names occur in two files, so the summary matches file and name where the header gives the file.
sub read_whitelist {
   my ( $file ) = @_;
   my %entries;
   return \%entries unless defined $file and -f $file;
   open my $fh, '<:encoding(UTF-8)', $file or die "$file: $!\n";
   my $section = '*';
   while ( my $line = <$fh> ) {
      chomp $line;
      if ( $line =~ m{^\s*#\s*(tests/\S+\.pl)\s*$} ) {
         $section = $1;
         next;
      }
      $line =~ s/#.*//;
      $line =~ s/^\s+|\s+$//g;
      $entries{"$section\t$line"} = 1 if length $line;
   }
   return \%entries;
}
my $whitelist_entries = read_whitelist( $whitelist_file );
my $whitelist = { map { ( split /\t/, $_, 2 )[1] => 1 } keys %$whitelist_entries };
sub whitelisted {
   my ( $file, $name ) = @_;
   return $whitelist_entries->{"$file\t$name"} || $whitelist_entries->{"*\t$name"};
}
my $blacklist = read_names( $blacklist_file );

# Every test: file, whether it needs federation, name. A name may occur in more than one file;
# sytest runs files in order, so the n-th run of a name belongs to its n-th file.
my %files_of;
my @tests_in_order;
open my $tfh, '<:encoding(UTF-8)', $tests_file or die "$tests_file: $!\n";
while ( my $line = <$tfh> ) {
   chomp $line;
   my ( $file, $fed, $name ) = split /\t/, $line, 3;
   next unless defined $name;
   push @{ $files_of{$name} }, [ $file, $fed ];
   push @tests_in_order, [ $file, $name ];
}
close $tfh;

sub area_of {
   my ( $file ) = @_;
   return 'Federation'           if $file =~ m{^tests/50federation/};
   return 'Application Services' if $file =~ m{^tests/60app-services/};
   return 'Client-Server';
}

my @results;    # [ name, status, file, fed ]
my %seen;
open my $fh, '<:encoding(UTF-8)', $tap_file or die "$tap_file: $!\n";
while ( my $line = <$fh> ) {
   chomp $line;
   next if $line =~ /^\s/;    # subtests
   my ( $status, $name );
   if ( $line =~ /^ok \d+ (.*) # skip / ) {
      ( $status, $name ) = ( 'skip', $1 );
   }
   elsif ( $line =~ /^ok \d+ (?:\(expected fail\) )?(.*?)(?: \(\d+ subtests\))?(?: # TODO passed but expected fail)?$/ ) {
      ( $status, $name ) = ( 'pass', $1 );
   }
   elsif ( $line =~ /^not ok \d+ \(expected fail\) (.*) # TODO expected fail$/ ) {
      ( $status, $name ) = ( 'xfail', $1 );
   }
   elsif ( $line =~ /^not ok \d+ (.*)$/ ) {
      ( $status, $name ) = ( 'fail', $1 );
   }
   else {
      next;
   }
   my $candidates = $files_of{$name} // [ [ 'unknown', 'local' ] ];
   my $where = $candidates->[ $seen{$name}++ ] // $candidates->[-1];
   push @results, [ $name, $status, @$where ];
}
close $fh;

my @areas = ( 'Client-Server', 'Federation', 'Application Services' );
my ( %count, %local );
for my $r ( @results ) {
   my ( $name, $status, $file, $fed ) = @$r;
   # A failure of a blacklisted test is expected, whichever way sytest was told.
   $status = 'xfail' if $status eq 'fail' and $blacklist->{$name};
   $r->[1] = $status;
   $count{ area_of( $file ) }{$status}++;
   $count{total}{$status}++;
   $local{$status}++ if $fed eq 'local';
}

my $run = @results;
printf "sytest: %d tests run (Are We Synapse Yet)\n", $run;
printf "%-22s %6s %6s %6s %6s %6s\n", 'area', 'pass', 'fail', 'skip', 'xfail', 'total';
for my $area ( @areas, 'total' ) {
   my $c = $count{$area} // {};
   my $sum = 0;
   $sum += $c->{$_} // 0 for qw( pass fail skip xfail );
   next if !$sum and $area ne 'total';
   printf "%-22s %6d %6d %6d %6d %6d\n", $area, map( { $c->{$_} // 0 } qw( pass fail skip xfail ) ), $sum;
}
my $local_run = 0;
$local_run += $local{$_} // 0 for qw( pass fail skip xfail );
printf "tests that need no federation: %d of %d run pass\n", $local{pass} // 0, $local_run;

my @new_passes  = grep { $_->[1] eq 'pass' and !whitelisted( $_->[2], $_->[0] ) } @results;
my @regressions = grep { $_->[1] ne 'pass' and whitelisted( $_->[2], $_->[0] ) } @results;
if ( @new_passes ) {
   printf "passing but not on the whitelist (%d; add them to conformance/sytest/whitelist):\n", scalar @new_passes;
   print "  $_->[2]: $_->[0]\n" for @new_passes;
}
if ( @regressions ) {
   printf "on the whitelist but did not pass (%d):\n", scalar @regressions;
   print "  $_->[2]: $_->[0] ($_->[1])\n" for @regressions;
}

if ( defined $files_file ) {
   my %ran_file = map { $_ => 1 } keys %{ read_names( $files_file ) };
   my %in_tap   = map { ( "$_->[2]\t$_->[0]" => 1, "*\t$_->[0]" => 1 ) } @results;
   my @missing;
   for my $entry ( sort keys %$whitelist_entries ) {
      next if $in_tap{$entry};
      my ( $file, $name ) = split /\t/, $entry, 2;
      my @files = grep { $ran_file{ $_->[0] } and ( $file eq '*' or $file eq $_->[0] ) } @{ $files_of{$name} // [] };
      push @missing, [ $name, 'did not run', $files[0][0] ] if @files;
   }
   if ( @missing ) {
      printf "on the whitelist but missing from the run (%d):\n", scalar @missing;
      print "  $_->[2]: $_->[0]\n" for @missing;
      push @regressions, @missing;
   }
}

if ( defined $failed_files ) {
   my %seen_file;
   open my $ffh, '>:encoding(UTF-8)', $failed_files or die "$failed_files: $!\n";
   print $ffh "$_\n" for grep { $_ ne 'unknown' and !$seen_file{$_}++ } map { $_->[2] } @regressions;
   close $ffh;
}

if ( $add_passes and @new_passes ) {
   my %entries = %$whitelist_entries;
   $entries{"$_->[2]\t$_->[0]"} = 1 for @new_passes;
   my ( $out, $section ) = ( '', '' );
   my %written;
   for my $t ( @tests_in_order ) {
      my ( $file, $name ) = @$t;
      next unless $entries{"$file\t$name"} or $entries{"*\t$name"};
      next if $written{"$file\t$name"}++;
      if ( $file ne $section ) {
         $out .= "\n" if length $out;
         $out .= "# $file\n";
         $section = $file;
      }
      $out .= "$name\n";
   }
   open my $wfh, '>:encoding(UTF-8)', $whitelist_file or die "$whitelist_file: $!\n";
   print $wfh $out;
   close $wfh;
   printf "added %d tests to %s\n", scalar @new_passes, $whitelist_file;
}

my $failed = grep { $_->[1] eq 'fail' or ( $_->[1] ne 'pass' and whitelisted( $_->[2], $_->[0] ) ) } @results;
$failed += grep { $_->[1] eq 'did not run' } @regressions;
printf "%d passed, %d failed\n", $count{total}{pass} // 0, $failed;
exit( @regressions ? 1 : 0 );
